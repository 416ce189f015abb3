// Webhook deliveries give way to the drain. They share the worker's one thread
// with the drain ticks and the persist jobs, and a POST costs about as much CPU
// as persisting several coupons (a loopback write is a syscall plus the whole
// TCP path); run side by side, deliveries slowed the drain to 0.67-0.72x (npm
// run bench, case events). So a delivery starts only once the drain is quiet:
// no tick or persist running here, and none that did work in the last
// `quietMs`. Deliveries fill the gaps between busy ticks (a second-long
// interval leaves most of each second) and catch up at full speed once the
// sale calms. A drain that never pauses still lets each delivery slot start one
// POST per `maxWaitMs`: deliveries slow down, they never stop.

export class DrainFirst {
  private running = 0;
  private lastBusyAt = 0;

  constructor(private readonly quietMs = 100) {}

  /** Runs drain-side work (a tick, a persist); `worked` says whether it changed anything. */
  async run<T>(work: () => Promise<T>, worked: (result: T) => boolean): Promise<T> {
    this.running++;
    try {
      const result = await work();
      if (worked(result)) this.lastBusyAt = Date.now();
      return result;
    } finally {
      this.running--;
    }
  }

  /** Resolves once the drain is quiet, or after `maxWaitMs` at the latest. */
  idle(maxWaitMs: number): Promise<void> {
    const deadline = Date.now() + maxWaitMs;
    return new Promise((resolve) => {
      const check = () => {
        const now = Date.now();
        const quietIn = this.lastBusyAt + this.quietMs - now;
        if (now >= deadline || (this.running === 0 && quietIn <= 0)) {
          resolve();
          return;
        }
        setTimeout(check, Math.min(deadline - now, Math.max(quietIn, 5)));
      };
      check();
    });
  }
}
