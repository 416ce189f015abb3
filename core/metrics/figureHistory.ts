// The last hour of each promotion's figures, kept in Redis so a fresh console tab
// (or a phone) charts the sale so far. The worker writes one sample after a tick,
// at most one a second per promotion, summing what the skipped ticks decided; the
// server reads them. Bounded: a capped list per promotion (historyMaxSamples
// entries of about 60-100 bytes, so at most ~360 kB per promotion) that expires
// an hour after its last write and goes with the promotion's other keys on delete.
import type { RedisClient } from '../platform/redis';
import { promotionKeys } from '../room/keys';
import type { PromotionInfo } from '../room/promotionInfo';
import { decodeSample, encodeSample, type FigureSample } from '../model/figures';

/** How far back the history goes. */
export const historyWindowMs = 60 * 60_000;
/** At most one sample a second per promotion (per worker process). */
export const historySampleMs = 1000;
/** The cap: an hour at one sample a second. */
export const historyMaxSamples = historyWindowMs / historySampleMs;
/** Figures that did not move are written at most this often: idle sales cost little. */
const idleSampleMs = 15_000;

/** What a tick decided, as the worker's TickReport carries it. */
export interface TickOutcomes {
  promotionId: number;
  decided: readonly { outcome: string }[];
  expired: readonly unknown[];
}

interface Pending {
  last: FigureSample | null;
  admitted: number;
  failed: number;
  expired: number;
}

const moved = (a: FigureSample, b: FigureSample) =>
  a.joined !== b.joined ||
  a.served !== b.served ||
  a.queueSize !== b.queueSize ||
  a.issued !== b.issued ||
  a.held !== b.held ||
  a.stock !== b.stock;

export class FigureHistory {
  private readonly pending = new Map<number, Pending>();

  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {}

  /** After a tick: the figures Redis answered (null: the promotion is gone) and what it decided. */
  async record(tick: TickOutcomes, info: PromotionInfo | null, at: number): Promise<void> {
    const { promotionId } = tick;
    if (!info) {
      this.pending.delete(promotionId);
      return;
    }
    const p = this.pending.get(promotionId) ?? { last: null, admitted: 0, failed: 0, expired: 0 };
    this.pending.set(promotionId, p);
    for (const d of tick.decided) {
      if (d.outcome === 'FAILED') p.failed++;
      else p.admitted++;
    }
    p.expired += tick.expired.length;
    const sample: FigureSample = {
      at,
      joined: info.joined,
      served: info.served,
      queueSize: info.queueSize,
      issued: info.issued,
      held: info.held,
      stock: info.currentStock,
      admitted: p.admitted,
      failed: p.failed,
      expired: p.expired,
    };
    const since = p.last ? at - p.last.at : Infinity;
    if (since < historySampleMs) return;
    const happened = p.admitted + p.failed + p.expired > 0;
    if (p.last && !happened && !moved(p.last, sample) && since < idleSampleMs) return;
    // Counted as written before the write: a failed write loses one sample, never doubles one.
    Object.assign(p, { last: sample, admitted: 0, failed: 0, expired: 0 });
    const key = promotionKeys(this.prefix, promotionId).history;
    await this.redis
      .multi()
      .lpush(key, encodeSample(sample))
      .ltrim(key, 0, historyMaxSamples - 1)
      .pexpire(key, historyWindowMs)
      .exec();
  }

  /** The samples of the last hour (newer than `sinceMs` if given), oldest first. */
  async read(promotionId: number, now: number, sinceMs = 0): Promise<FigureSample[]> {
    const key = promotionKeys(this.prefix, promotionId).history;
    const stored = await this.redis.lrange(key, 0, historyMaxSamples - 1);
    const from = Math.max(sinceMs + 1, now - historyWindowMs);
    return stored
      .map(decodeSample)
      .filter((s): s is FigureSample => s !== null && s.at >= from)
      .sort((a, b) => a.at - b.at);
  }
}
