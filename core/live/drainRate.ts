// Measures how fast a promotion's queue really moves: served-counter samples
// over a sliding window. The served counter is global, so the measure is right
// whichever worker ran the ticks in between. The worker stores what it measured
// so a page that connects later sees the same rate.
import type { RedisClient } from '../platform/redis';
import { promotionKeys } from '../room/keys';
import type { PromotionInfo } from '../room/promotionInfo';

interface Sample {
  at: number;
  served: number;
}

export class DrainRateMeter {
  private readonly samples = new Map<number, Sample[]>();

  constructor(
    private readonly windowMs = 10_000,
    /** Bounds memory whatever the tick interval. */
    private readonly maxSamples = 64,
  ) {}

  /**
   * Records the served counter after a tick and returns shoppers admitted per
   * second over the window, or null until two samples span some time. An idle
   * tick (nobody waiting, nobody decided) restarts the window, so a quiet spell
   * does not drag the next rush's estimate down.
   */
  observe(promotionId: number, served: number, at: number, busy: boolean): number | null {
    const kept = this.samples.get(promotionId) ?? [];
    const last = kept.at(-1);
    const restart = !busy || (last !== undefined && served < last.served);
    const window = restart ? [] : kept.filter((s) => at - s.at <= this.windowMs);
    window.push({ at, served });
    if (window.length > this.maxSamples) window.shift();
    this.samples.set(promotionId, window);

    const first = window[0];
    if (!first || at <= first.at) return null;
    return ((served - first.served) * 1000) / (at - first.at);
  }

  forget(promotionId: number): void {
    this.samples.delete(promotionId);
  }
}

/** The configured rate, used until the worker has measured one. */
export function nominalRate(info: PromotionInfo): number {
  return info.intervalMs > 0 ? (info.batchSize * 1000) / info.intervalMs : 0;
}

/** The rate last stored for the promotion, or null when none was (or it is unreadable). */
export async function storedDrainRate(
  redis: RedisClient,
  prefix: string,
  promotionId: number,
): Promise<number | null> {
  const stored = await redis.get(promotionKeys(prefix, promotionId).drainRate);
  const rate = stored === null ? NaN : Number(stored);
  return Number.isFinite(rate) ? rate : null;
}

/** The worker's side: measures each promotion after a tick and stores what it measured. */
export class DrainRates {
  private readonly meter = new DrainRateMeter();

  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {}

  /** The rate to show (measured, else the configured one) and the measured one, if any. */
  measure(
    info: PromotionInfo,
    busy: boolean,
    at: number,
  ): { shown: number; measured: number | null } {
    const measured = this.meter.observe(info.promotionId, info.served, at, busy);
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
