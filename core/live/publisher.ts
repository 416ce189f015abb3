// The one way the worker and the servers tell pages something: Socket.IO events
// published through the Redis emitter, which every server's adapter delivers to
// the sockets it holds. The emitter publishes and forgets; this tracks each
// publish so a caller can wait for its messages (flush), and a Redis error is
// logged once per flush instead of becoming an unhandled rejection. A lost
// event is not retried: the decision is safe in Redis and the page catches up
// on reconnect or by its next status read. Many shoppers' updates (a tick's
// decisions) go as one message on the promotion's batch channel, which each
// server splits to its own sockets (stateBatches.ts): one publish and one decode
// per chunk instead of one per update.
import { Emitter } from '@socket.io/redis-emitter';
import type { Logger } from '../platform/logger';
import type { RedisClient } from '../platform/redis';
import { socketChannelKey, stateBatchChannel } from '../room/keys';
import {
  rooms,
  type PromotionNotice,
  type PromotionProgress,
  type ServerToClientEvents,
  type ShopperUpdate,
} from './contract';

/** Updates per batch message: a few tens of KB, so no server reads one for long. */
export const updatesPerMessage = 500;

export class LivePublisher {
  private pending: Promise<unknown>[] = [];
  /** Updates published and not yet awaited. */
  private inFlight = 0;
  private readonly emitter: Emitter<ServerToClientEvents>;

  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    private readonly logger: Logger,
  ) {
    const client = {
      publish: (channel: string, message: Buffer | string) => {
        this.pending.push(this.redis.publish(channel, message));
        this.inFlight += 1;
      },
    };
    this.emitter = new Emitter<ServerToClientEvents>(client, { key: socketChannelKey(prefix) });
  }

  /** Updates published and not yet awaited by a flush. */
  get backlog(): number {
    return this.inFlight;
  }

  /** A shopper's new state, to every page of theirs. */
  state(update: ShopperUpdate): void {
    this.emitter.to(rooms.shopper(update.promotionId, update.userId)).emit('state', update);
  }

  /** Many shoppers' new states, in order, to every page of each (one message per chunk). */
  states(promotionId: number, updates: ShopperUpdate[]): void {
    const channel = stateBatchChannel(this.prefix, promotionId);
    for (let from = 0; from < updates.length; from += updatesPerMessage) {
      const chunk = updates.slice(from, from + updatesPerMessage);
      this.pending.push(this.redis.publish(channel, JSON.stringify(chunk)));
      this.inFlight += chunk.length;
    }
  }

  /** A promotion's progress, to every page watching it. */
  progress(progress: PromotionProgress): void {
    this.emitter.to(rooms.promotion(progress.promotionId)).emit('progress', progress);
  }

  /** A promotion's changed notice, to every page watching it. */
  notice(notice: PromotionNotice): void {
    this.emitter.to(rooms.promotion(notice.promotionId)).emit('notice', notice);
  }

  /** Waits for every publish so far; never throws (failures are logged). */
  async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    this.inFlight = 0;
    const failed = (await Promise.allSettled(batch)).filter((r) => r.status === 'rejected');
    if (failed.length > 0) {
      this.logger.warn(
        { failed: failed.length, err: String(failed[0]?.reason) },
        'live events not published; pages catch up on reconnect or by polling status',
      );
    }
  }
}
