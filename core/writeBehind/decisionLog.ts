// The write-behind log: the issue script appends one stream entry per coupon in
// the same atomic step as the decision; persistence reads, records, then acks.
import type { RedisClient } from '../platform/redis';
import type { IssuedDecision } from '../db/couponsRepo';
import { promotionKeys } from '../room/keys';
import { HoldLog } from './holdLog';

export interface LoggedDecision extends IssuedDecision {
  /** Stream entry id; its time part is when Redis decided. */
  entryId: string;
}

function parseEntry(promotionId: number, [entryId, fields]: [string, string[]]): LoggedDecision {
  const values = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) values.set(fields[i] ?? '', fields[i + 1] ?? '');
  const field = (name: string) => values.get(name) ?? '';
  return {
    entryId,
    promotionId,
    userId: field('u'),
    ticket: Number(field('t')),
    code: field('c'),
    // Replayed entries carry the original decision time in `at`.
    issuedAt: new Date(Number(field('at') || entryId.split('-')[0])),
  };
}

export class DecisionLog {
  /** Hold mode's changes, persisted with the decisions (as events only). */
  readonly holds: HoldLog;

  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {
    this.holds = new HoldLog(redis, prefix);
  }

  private key(promotionId: number) {
    return promotionKeys(this.prefix, promotionId).decisions;
  }

  /** The oldest `count` decisions not yet acknowledged as persisted. */
  async pending(promotionId: number, count: number): Promise<LoggedDecision[]> {
    const entries = await this.redis.xrange(this.key(promotionId), '-', '+', 'COUNT', count);
    return entries.map((entry) => parseEntry(promotionId, entry));
  }

  async count(promotionId: number): Promise<number> {
    return this.redis.xlen(this.key(promotionId));
  }

  /** Drops entries the database now holds. */
  async ack(promotionId: number, entryIds: string[]): Promise<void> {
    if (entryIds.length > 0) await this.redis.xdel(this.key(promotionId), ...entryIds);
  }

  /** Appends decisions again (a dead letter replayed, an orphan found by resync). */
  async append(promotionId: number, decisions: IssuedDecision[]): Promise<void> {
    const pipeline = this.redis.pipeline();
    for (const d of decisions) {
      pipeline.xadd(
        this.key(promotionId),
        '*',
        'u',
        d.userId,
        't',
        d.ticket,
        'c',
        d.code,
        'at',
        d.issuedAt.getTime(),
      );
    }
    await pipeline.exec();
  }
}
