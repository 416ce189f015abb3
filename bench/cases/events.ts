// Events out: a real worker process drains N waiting shoppers (batch 1,000) with
// no webhook, then with one webhook registered to a receiver in this process; each
// round runs both. Figures: coupon.issued events delivered a second (first to
// last, and from the drain's end to the last: deliveries give way to a busy
// drain, worker/drainFirst.ts), and the drain's coupons persisted a second with
// the webhook against without (goal >= 0.95x: deliveries must not slow the drain).
import { pino } from 'pino';
import { readCounters } from '../../core/db/couponCounters';
import { dropMysqlDatabase } from '../../core/db/connection';
import { loadConfig } from '../../core/platform/config';
import { openServices } from '../../core/services';
import { createPromotion } from '../../core/useCases/promotions';
import { registerWebhook } from '../../core/useCases/webhooks';
import { deletePrefix } from '../../tests/helpers/env';
import { spawnEntry, waitForOutput } from '../../tests/helpers/processes';
import { startReceiver, type Receiver } from '../../tests/helpers/receiver';
import { waitFor } from '../../tests/helpers/wait';
import { joinMany } from '../lib/fill';
import { fixed, grouped, median } from '../lib/stats';
import type { BenchSettings } from '../lib/settings';
import type { BenchCase } from './types';

const goalRatio = 0.95;

async function round(
  settings: BenchSettings,
  prefix: string,
  receiver: Receiver | null,
): Promise<{
  couponsPerSecond: number;
  deliveredPerSecond: number | null;
  /** Deliveries a second from the drain's end to the last one (deliveries give way to the drain). */
  afterDrainPerSecond: number | null;
}> {
  const n = settings.BENCH_EVENTS_SHOPPERS;
  const env = {
    REDIS_URL: settings.REDIS_URL,
    REDIS_KEY_PREFIX: prefix,
    DATABASE_URL: `${settings.BENCH_MYSQL_URL}/wr_${prefix}`,
    LOG_LEVEL: 'info',
    EVENTS_RELAY_INTERVAL_MS: '100',
  };
  const s = await openServices(
    loadConfig({ ...env, LOG_LEVEL: 'silent' }),
    pino({ level: 'silent' }),
  );
  const worker = { child: null as ReturnType<typeof spawnEntry> | null };
  try {
    const { id } = await createPromotion(s, {
      name: 'events bench',
      totalStock: n,
      batchSize: 1000,
      intervalMs: 10,
      startsAt: null,
      endsAt: null,
    });
    await joinMany(s.room, id, n, (i) => `e${i}`);
    if (receiver) {
      await registerWebhook(s, { url: receiver.url, events: ['coupon.issued'] });
      receiver.deliveries.length = 0;
    }
    worker.child = spawnEntry('worker/main.ts', env);
    await waitForOutput(worker.child, 'worker started');
    const started = performance.now();
    await waitFor(
      () => readCounters(s.db, id),
      (c) => c?.issued === n,
      { timeoutMs: 300_000, intervalMs: 20, what: 'every coupon persisted' },
    );
    const couponsPerSecond = n / ((performance.now() - started) / 1000);
    const drainedAt = Date.now();
    if (!receiver) return { couponsPerSecond, deliveredPerSecond: null, afterDrainPerSecond: null };
    await waitFor(
      () => Promise.resolve(new Set(receiver.deliveries.map((d) => d.id)).size),
      (delivered) => delivered === n,
      { timeoutMs: 300_000, intervalMs: 20, what: 'every event delivered' },
    );
    const times = receiver.deliveries.map((d) => d.at);
    const last = Math.max(...times);
    const seconds = (last - Math.min(...times)) / 1000;
    const after = times.filter((at) => at >= drainedAt).length;
    return {
      couponsPerSecond,
      deliveredPerSecond: n / Math.max(seconds, 0.001),
      afterDrainPerSecond: after / Math.max((last - drainedAt) / 1000, 0.001),
    };
  } finally {
    if (worker.child) {
      worker.child.proc.kill('SIGTERM');
      await worker.child.exited;
    }
    await deletePrefix(s.connections.redis, prefix);
    await s.close();
    await dropMysqlDatabase(env.DATABASE_URL);
  }
}

export const events: BenchCase = {
  id: 'events',
  async run({ settings, prefix }) {
    const receiver = await startReceiver();
    const without: number[] = [];
    const withHook: number[] = [];
    const delivered: number[] = [];
    const afterDrain: number[] = [];
    try {
      for (let r = 0; r < settings.BENCH_ROUNDS; r++) {
        without.push((await round(settings, `${prefix}e${r}n`, null)).couponsPerSecond);
        const hooked = await round(settings, `${prefix}e${r}w`, receiver);
        withHook.push(hooked.couponsPerSecond);
        delivered.push(hooked.deliveredPerSecond ?? 0);
        afterDrain.push(hooked.afterDrainPerSecond ?? 0);
      }
    } finally {
      await receiver.close();
    }
    const n = grouped(settings.BENCH_EVENTS_SHOPPERS);
    const base = median(without);
    const hooked = median(withHook);
    const dash = { p99: '-', baseline: '-', cpu: '-', ratio: '-', goal: '-', met: null };
    return [
      {
        case: `events: ${n} coupon.issued delivered to a local webhook receiver`,
        figure: `${grouped(median(delivered))} events/s`,
        ...dash,
      },
      {
        case: `  of which once the drain had ended (deliveries give way to the drain)`,
        figure: `${grouped(median(afterDrain))} events/s`,
        ...dash,
      },
      {
        case: `drain ${n} waiting through the worker, no webhook`,
        figure: `${grouped(base)} coupons/s`,
        ...dash,
      },
      {
        case: `  the same with one webhook registered`,
        figure: `${grouped(hooked)} coupons/s`,
        ...dash,
        baseline: `${grouped(base)} coupons/s`,
        ratio: fixed(hooked / base, 2),
        goal: `>= ${goalRatio}x`,
        met: hooked / base >= goalRatio,
      },
    ];
  },
};
