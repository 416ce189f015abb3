// Measures how fast a promotion's queue really moves: served-counter samples
// over a sliding window. The served counter is global, so the measure is right
// whichever worker ran the ticks in between.

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
