// Dead letters: what could not reach the database after its retries, kept in
// Redis for an operator to see and replay. Nothing here is ever dropped silently.
import type { RedisClient } from '../platform/redis';
import type { IssuedDecision } from '../db/couponsRepo';
import type { DomainEvent } from '../db/eventsRepo';
import { deadLetterKey } from '../room/keys';

export type DeadLetter =
  | { id: string; kind: 'persist-job'; promotionId: number; error: string; at: string }
  | {
      id: string;
      kind: 'decision';
      promotionId: number;
      error: string;
      at: string;
      decision: Omit<IssuedDecision, 'issuedAt'> & { issuedAt: string };
    }
  | {
      id: string;
      kind: 'webhook';
      promotionId: number;
      error: string;
      at: string;
      /** The delivery that ran out of attempts (or was refused for good), to send again. */
      delivery: { webhookId: number; url: string; event: DomainEvent };
    };

export class DeadLetters {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {}

  private get key() {
    return deadLetterKey(this.prefix);
  }

  /** A persist job for the promotion ran out of retries (the database stayed away). */
  async addJobFailure(promotionId: number, error: string): Promise<void> {
    const letter: DeadLetter = {
      id: `job-${promotionId}`,
      kind: 'persist-job',
      promotionId,
      error,
      at: new Date().toISOString(),
    };
    await this.redis.hset(this.key, letter.id, JSON.stringify(letter));
  }

  /** Persistence for the promotion works again. */
  async clearJobFailure(promotionId: number): Promise<void> {
    await this.redis.hdel(this.key, `job-${promotionId}`);
  }

  /** A decision the database refused for a reason a retry cannot fix. */
  async addDecision(decision: IssuedDecision, error: string): Promise<void> {
    const letter: DeadLetter = {
      id: `decision-${decision.promotionId}-${decision.userId}`,
      kind: 'decision',
      promotionId: decision.promotionId,
      error,
      at: new Date().toISOString(),
      decision: { ...decision, issuedAt: decision.issuedAt.toISOString() },
    };
    await this.redis.hset(this.key, letter.id, JSON.stringify(letter));
  }

  /** A webhook delivery that ran out of attempts, or that its receiver refused for good. */
  async addDelivery(
    delivery: { webhookId: number; url: string; event: DomainEvent },
    error: string,
  ): Promise<void> {
    const letter: DeadLetter = {
      id: `webhook-${delivery.webhookId}-${delivery.event.id}`,
      kind: 'webhook',
      promotionId: delivery.event.promotionId,
      error,
      at: new Date().toISOString(),
      delivery,
    };
    await this.redis.hset(this.key, letter.id, JSON.stringify(letter));
  }

  async list(): Promise<DeadLetter[]> {
    const all = await this.redis.hvals(this.key);
    return all
      .map((json) => JSON.parse(json) as DeadLetter)
      .sort((a, b) => a.id.localeCompare(b.id));
  }

  /** Removes a letter; true if it was there (so two replays cannot both take it). */
  async take(id: string): Promise<DeadLetter | null> {
    const json = await this.redis.hget(this.key, id);
    if (json === null) return null;
    return (await this.redis.hdel(this.key, id)) === 1 ? (JSON.parse(json) as DeadLetter) : null;
  }

  async count(): Promise<number> {
    return this.redis.hlen(this.key);
  }
}
