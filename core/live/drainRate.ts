// Measures how fast a promotion's queue really moves: the served counter over
// the recent ticks that admitted someone. The served counter is global, so the measure is right
// whichever worker ran the ticks in between. The worker stores what it measured
// so a page that connects later sees the same rate.
import type { RedisClient } from '../platform/redis';
import { promotionKeys } from '../room/keys';
import type { PromotionInfo } from '../room/promotionInfo';

/** One tick that admitted someone: how many, over how long since the tick before it. */
interface Sample {
  at: number;
  admitted: number;
  spanMs: number;
}

interface Track {
  /** The last tick seen, whatever it did. */
  last: { at: number; served: number };
  samples: Sample[];
}

export class DrainRateMeter {
  private readonly tracks = new Map<number, Track>();

  constructor(
    private readonly windowMs = 10_000,
    /** Bounds memory whatever the tick interval. */
    private readonly maxSamples = 64,
  ) {}

  /**
   * Records the served counter after a tick and returns shoppers admitted per
   * second over the ticks that admitted someone, or null before any did. Ticks
   * that admitted nobody (paused, empty, closed) count neither shoppers nor
   * time, so a pause does not drag the rate down; each admitting tick counts
   * the time since the tick before it. The window is the last `windowMs` of
   * admitting ticks, so the rate before a pause is the rate after it.
   */
  observe(promotionId: number, served: number, at: number): number | null {
    const track = this.tracks.get(promotionId);
    if (!track || served < track.last.served) {
      this.tracks.set(promotionId, { last: { at, served }, samples: [] });
      return null;
    }
    const admitted = served - track.last.served;
    const spanMs = at - track.last.at;
    track.last = { at, served };
    if (admitted > 0 && spanMs > 0) {
      track.samples.push({ at, admitted, spanMs });
      track.samples = track.samples.filter((s) => at - s.at <= this.windowMs);
      if (track.samples.length > this.maxSamples) track.samples.shift();
    }
    if (track.samples.length === 0) return null;
    const total = track.samples.reduce(
      (sum, s) => ({ admitted: sum.admitted + s.admitted, spanMs: sum.spanMs + s.spanMs }),
      { admitted: 0, spanMs: 0 },
    );
    return (total.admitted * 1000) / total.spanMs;
  }

  forget(promotionId: number): void {
    this.tracks.delete(promotionId);
  }
}

/** The configured rate, used until the worker has measured one. */
export function nominalRate(info: PromotionInfo): number {
  return info.intervalMs > 0 ? (info.batchSize * 1000) / info.intervalMs : 0;
}

/** The worker's side: measures each promotion after a tick and stores what it measured. */
export class DrainRates {
  private readonly meter = new DrainRateMeter();

  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {}

  /** The rate to show (measured, else the configured one) and the measured one, if any. */
  measure(info: PromotionInfo, at: number): { shown: number; measured: number | null } {
    const measured = this.meter.observe(info.promotionId, info.served, at);
    return { shown: measured ?? nominalRate(info), measured };
  }

  /** The promotion is gone: its samples go too. */
  forget(promotionId: number): void {
    this.meter.forget(promotionId);
  }

  async store(promotionId: number, rate: number): Promise<void> {
    await this.redis.set(promotionKeys(this.prefix, promotionId).drainRate, rate.toFixed(3));
  }
}
