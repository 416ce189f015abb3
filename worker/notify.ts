// After each drain tick, tells the pages through the Socket.IO Redis emitter:
// PROCESSING and the decision to each decided shopper's room, and one progress
// message to the promotion's room (every waiting page derives its place from
// it). The cost per tick is one read plus two messages per shopper decided,
// however long the queue is.
import { Emitter } from '@socket.io/redis-emitter';
import type { RedisClient } from '../core/platform/redis';
import { rooms, type PromotionProgress, type ServerToClientEvents } from '../core/live/contract';
import { socketChannelKey } from '../core/room/keys';
import type { Logger } from '../core/platform/logger';
import { nominalRate, progressOf, saveDrainRate } from '../core/live/progress';
import { describeShopper } from '../core/model/shopperState';
import { decidedRecord } from '../core/model/shopperRecord';
import type { Decision, PromotionInfo, WaitingRoom } from '../core/room/waitingRoom';
import { DrainRateMeter } from '../core/live/drainRate';
import type { TickReport } from './drain';

/** Publishes wait in flight at most this many at a time, so a sold-out sweep of a million stays bounded. */
const flushEvery = 2000;
/** Decisions sent before the progress message: a whole batch at the default size and well beyond. */
const headOfTick = 1000;

/**
 * The emitter publishes and forgets; this client in front of it collects each
 * publish so a tick can wait for its messages and a Redis error is logged
 * instead of becoming an unhandled rejection.
 */
class TrackedPublisher {
  private pending: Promise<unknown>[] = [];

  constructor(
    private readonly redis: RedisClient,
    private readonly logger: Logger,
  ) {}

  get backlog(): number {
    return this.pending.length;
  }

  publish(channel: string, message: Buffer | string): void {
    this.pending.push(this.redis.publish(channel, message));
  }

  async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    const failed = (await Promise.allSettled(batch)).filter((r) => r.status === 'rejected');
    if (failed.length > 0) {
      this.logger.warn(
        { failed: failed.length, err: String(failed[0]?.reason) },
        'live events not published; pages catch up on reconnect or by polling status',
      );
    }
  }
}

export class TickNotifier {
  private readonly publisher: TrackedPublisher;
  private readonly emitter: Emitter<ServerToClientEvents>;
  private readonly meter = new DrainRateMeter();
  /** The last progress sent per promotion: skip unchanged ones, never send an older one. */
  private readonly lastSent = new Map<number, PromotionProgress>();

  constructor(
    private readonly room: WaitingRoom,
    private readonly redis: RedisClient,
    private readonly prefix: string,
    publisherRedis: RedisClient,
    logger: Logger,
    private readonly now: () => number = Date.now,
  ) {
    this.publisher = new TrackedPublisher(publisherRedis, logger);
    this.emitter = new Emitter<ServerToClientEvents>(this.publisher, {
      key: socketChannelKey(prefix),
    });
  }

  async afterTick(report: TickReport): Promise<void> {
    const { promotionId, decided } = report;
    // Read while the decisions go out: the decided shoppers do not wait for it.
    const reading = this.room.info(promotionId);
    // Handled here so a failure while the decisions are in flight is not an
    // unhandled rejection; awaiting it below still throws.
    reading.catch(() => undefined);
    // The tick's own batch first, and published before the progress: engine.io keeps
    // one write in flight per socket, so a decision (the write after PROCESSING)
    // read in the same chunk as a progress would wait for its fan-out to every page.
    // Then progress (sold out reaches everyone in one message), then the rest of a
    // sold-out sweep's FAILED, however many.
    const head = decided.slice(0, headOfTick);
    await this.sendDecisions(promotionId, head);
    await this.publisher.flush();
    const info = await reading;
    if (!info) {
      this.meter.forget(promotionId);
      this.lastSent.delete(promotionId);
    }
    const measured = info ? this.sendProgress(info, decided.length > 0) : null;
    await this.sendDecisions(promotionId, decided.slice(head.length));
    await this.sendExpired(promotionId, report.expired);
    await this.publisher.flush();
    if (measured !== null) await saveDrainRate(this.redis, this.prefix, promotionId, measured);
  }

  private async sendDecisions(promotionId: number, decided: Decision[]): Promise<void> {
    for (const d of decided) {
      const to = this.emitter.to(rooms.shopper(promotionId, d.userId));
      to.emit('state', { promotionId, userId: d.userId, status: 'PROCESSING', ticket: d.ticket });
      to.emit('state', {
        ...describeShopper(promotionId, d.userId, decidedRecord(d.outcome, d.ticket, d.detail), 0),
        decidedAt: d.decidedAt,
      });
      if (this.publisher.backlog >= flushEvery) await this.publisher.flush();
    }
  }

  /** Tells each shopper whose hold ran out: EXPIRED, the unit went to the line. */
  private async sendExpired(promotionId: number, expired: TickReport['expired']): Promise<void> {
    for (const { userId, ticket } of expired) {
      this.emitter
        .to(rooms.shopper(promotionId, userId))
        .emit('state', { promotionId, userId, status: 'EXPIRED', ticket, decidedAt: this.now() });
      if (this.publisher.backlog >= flushEvery) await this.publisher.flush();
    }
  }

  /** Sends the promotion's progress unless unchanged or older; returns the rate measured, if any. */
  private sendProgress(info: PromotionInfo, decidedAny: boolean): number | null {
    const at = this.now();
    const measured = this.meter.observe(
      info.promotionId,
      info.served,
      at,
      decidedAny || info.queueSize > 0,
    );
    const progress = progressOf(info, measured ?? nominalRate(info), at);
    // Two overlapping ticks may finish in either order: checked and sent with no
    // await in between, an older progress never follows a newer one from this worker.
    const last = this.lastSent.get(info.promotionId);
    if (!last || (progress.served >= last.served && !sameProgress(last, progress))) {
      this.lastSent.set(info.promotionId, progress);
      this.emitter.to(rooms.promotion(info.promotionId)).emit('progress', progress);
    }
    return measured;
  }
}

function sameProgress(a: PromotionProgress, b: PromotionProgress): boolean {
  return (
    a.served === b.served &&
    a.joined === b.joined &&
    a.queueSize === b.queueSize &&
    a.remainingStock === b.remainingStock &&
    a.state === b.state
  );
}
