// After each drain tick, tells the pages through the live publisher: PROCESSING
// and the decision to each decided shopper's room, and one progress message to
// the promotion's room (every waiting page derives its place from it). The cost
// per tick is one read plus two messages per shopper decided, however long the
// queue is. Measuring the drain rate is core/live/drainRate.ts's; this only sends.
import type { RedisClient } from '../core/platform/redis';
import type { PromotionProgress, ShopperUpdate } from '../core/live/contract';
import type { Logger } from '../core/platform/logger';
import { progressOf } from '../core/live/progress';
import { DrainRates } from '../core/live/drainRate';
import { FigureHistory } from '../core/metrics/figureHistory';
import { LivePublisher } from '../core/live/publisher';
import { decidedRecord } from '../core/model/shopperRecord';
import { describeShopper } from '../core/model/shopperState';
import type { Decision, PromotionInfo, WaitingRoom } from '../core/room/waitingRoom';
import type { TickReport } from './drain';

/** Publishes wait in flight at most this many at a time, so a sold-out sweep of a million stays bounded. */
const flushEvery = 2000;
/** Decisions sent before the progress message: a whole batch at the default size and well beyond. */
const headOfTick = 1000;

export class TickNotifier {
  private readonly publisher: LivePublisher;
  private readonly rates: DrainRates;
  private readonly history: FigureHistory;
  /** The last progress sent per promotion: skip unchanged ones, never send an older one. */
  private readonly lastSent = new Map<number, PromotionProgress>();

  constructor(
    private readonly room: WaitingRoom,
    redis: RedisClient,
    prefix: string,
    publisherRedis: RedisClient,
    logger: Logger,
    private readonly now: () => number = Date.now,
  ) {
    this.publisher = new LivePublisher(publisherRedis, prefix, logger);
    this.rates = new DrainRates(redis, prefix);
    this.history = new FigureHistory(redis, prefix);
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
    // A sold-out sweep's chunks went out as they were decided (announce).
    const unsent = decided.slice(report.announced);
    const head = unsent.slice(0, headOfTick);
    await this.sendDecisions(promotionId, head);
    await this.publisher.flush();
    const info = await reading;
    if (!info) {
      this.rates.forget(promotionId);
      this.lastSent.delete(promotionId);
    }
    const measured = info ? this.sendProgress(info) : null;
    await this.sendDecisions(promotionId, unsent.slice(head.length));
    await this.sendFromStandby(promotionId, report.fromStandby);
    await this.sendExpired(promotionId, report.expired);
    await this.publisher.flush();
    // The rate only changes on a tick that admitted someone: an idle tick writes nothing,
    // so it cannot put the key back just after the promotion was deleted.
    if (measured !== null && report.claimed > 0) await this.rates.store(promotionId, measured);
    await this.history.record(report, info, this.now());
  }

  /** Publishes a chunk the tick just decided (drainTick's onDecided), without waiting for the tick's end. */
  announce(promotionId: number, batch: Decision[]): Promise<void> {
    return this.sendDecisions(promotionId, batch);
  }

  private async sendDecisions(promotionId: number, decided: Decision[]): Promise<void> {
    const updates: ShopperUpdate[] = [];
    for (const d of decided) {
      updates.push({ promotionId, userId: d.userId, status: 'PROCESSING', ticket: d.ticket });
      updates.push(this.decisionUpdate(promotionId, d));
    }
    await this.publish(promotionId, updates);
  }

  /** A returned unit reached a shopper on standby: their FAILED becomes COMPLETED (or HELD). */
  private async sendFromStandby(promotionId: number, decided: Decision[]): Promise<void> {
    await this.publish(
      promotionId,
      decided.map((d) => this.decisionUpdate(promotionId, d)),
    );
  }

  private decisionUpdate(promotionId: number, d: Decision): ShopperUpdate {
    const record = decidedRecord(d.outcome, d.ticket, d.detail);
    // Just decided, so the line has not ended: a shopper failed SOLD_OUT is on it or not.
    const standby = { position: d.standbyPosition, ended: false };
    return {
      ...describeShopper(promotionId, d.userId, record, 0, this.now(), standby),
      decidedAt: d.decidedAt,
    };
  }

  /** One batch message per chunk of updates; waits for Redis once enough are in flight. */
  private async publish(promotionId: number, updates: ShopperUpdate[]): Promise<void> {
    if (updates.length === 0) return;
    this.publisher.states(promotionId, updates);
    if (this.publisher.backlog >= flushEvery) await this.publisher.flush();
  }

  /** Tells each shopper whose hold ran out: EXPIRED, the unit went to the line. */
  private async sendExpired(promotionId: number, expired: TickReport['expired']): Promise<void> {
    const at = this.now();
    await this.publish(
      promotionId,
      expired.map(({ userId, ticket }) => ({
        promotionId,
        userId,
        status: 'EXPIRED' as const,
        ticket,
        decidedAt: at,
      })),
    );
  }

  /** Sends the promotion's progress unless unchanged or older; returns the rate measured, if any. */
  private sendProgress(info: PromotionInfo): number | null {
    const at = this.now();
    const { shown, measured } = this.rates.measure(info, at);
    const progress = progressOf(info, shown, at);
    // Two overlapping ticks may finish in either order: checked and sent with no
    // await in between, an older progress never follows a newer one from this worker.
    const last = this.lastSent.get(info.promotionId);
    if (!last || (progress.served >= last.served && !sameProgress(last, progress))) {
      this.lastSent.set(info.promotionId, progress);
      this.publisher.progress(progress);
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
    a.reach === b.reach &&
    a.state === b.state
  );
}
