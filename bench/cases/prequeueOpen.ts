// Opening a pre-queue of N shoppers (BENCH_MEMORY_SHOPPERS, 1,000,000 by
// default): Redis bytes per pre-queued shopper (MEMORY USAGE of the pre-queue),
// the time to place them all in the line in the drain's chunks, and the longest
// single Redis call while doing it. The goal is judged on the CPU Redis's main
// thread spent in each call (INFO cpu read around it: what the call costs every
// other client, the same on a quiet or a busy machine); Redis's own wall time per
// call (SLOWLOG: no network, no client) is shown beside it, which on a busy
// 2-core machine also counts the time the OS preempted Redis, with the load
// average. It runs on a redis-server of its own, so SLOWLOG settings touch
// nobody else.
import { loadavg } from 'node:os';
import { Redis } from 'ioredis';
import { WaitingRoom } from '../../core/room/waitingRoom';
import { openChunk } from '../../worker/drain';
import { freePort, startRedis, stopRedis } from '../../tests/helpers/redisServer';
import { joinMany } from '../lib/fill';
import { fixed, grouped } from '../lib/stats';
import type { BenchCase, Row } from './types';

const goalBytes = 120;
const goalCallMs = 5;

/** SLOWLOG GET's entries: [id, unix time, duration µs, [command, ...args], ...]. */
type SlowEntry = [number, number, number, string[], ...unknown[]];

/** Durations (µs, ascending) of the scripts the slow log holds; the commands they ran are left out. */
async function scriptDurations(redis: Redis): Promise<number[]> {
  const entries = (await redis.call('SLOWLOG', 'GET', '-1')) as SlowEntry[];
  return (
    entries
      // EVAL too: the first call loads the script (ioredis falls back from EVALSHA).
      .filter(([, , , args]) => ['eval', 'evalsha'].includes(args[0]?.toLowerCase() ?? ''))
      .map(([, , micros]) => micros)
      .sort((a, b) => a - b)
  );
}

/** Redis's main thread CPU time so far, µs (INFO cpu). */
async function mainThreadCpu(redis: Redis): Promise<number> {
  const info = await redis.info('cpu');
  const seconds = (field: string) => Number(new RegExp(`${field}:([\\d.]+)`).exec(info)?.[1] ?? 0);
  return (seconds('used_cpu_user_main_thread') + seconds('used_cpu_sys_main_thread')) * 1e6;
}

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;

export const prequeueOpen: BenchCase = {
  id: 'prequeue',
  async run({ settings }) {
    const shoppers = settings.BENCH_MEMORY_SHOPPERS;
    const port = await freePort();
    const server = await startRedis(port);
    const redis = new Redis(`redis://127.0.0.1:${port}`);
    try {
      const room = new WaitingRoom(redis, 'bench', () => 'AAAAAAAAAA');
      const promotionId = 300;
      const keys = room.keys(promotionId);
      const now = Date.now();
      const sale = {
        totalStock: 100_000,
        state: 'OPEN' as const,
        batchSize: 100,
        intervalMs: 1000,
        startsAt: new Date(now + 3_600_000),
        endsAt: null,
        prequeueAt: new Date(now - 1000),
        queueing: 'random' as const,
      };
      await room.save(promotionId, sale);
      await joinMany(room, promotionId, shoppers, (i) => String(10_000_000 + i));
      const bytes =
        Number(await redis.call('MEMORY', 'USAGE', keys.prequeue, 'SAMPLES', '0')) / shoppers;

      await room.save(promotionId, { ...sale, startsAt: new Date(Date.now() - 1) });
      // Log every command from here on (the opening's only), and keep them all: a script and
      // the few variadic commands it runs per chunk.
      await redis.config('SET', 'slowlog-max-len', '1000000');
      await redis.config('SET', 'slowlog-log-slower-than', '0');
      await redis.call('SLOWLOG', 'RESET');
      const startedAt = performance.now();
      const cpu: number[] = [];
      for (;;) {
        const before = await mainThreadCpu(redis);
        const left = await room.openPrequeue(promotionId, openChunk);
        cpu.push((await mainThreadCpu(redis)) - before);
        if (!left) break;
      }
      const totalMs = performance.now() - startedAt;
      await redis.config('SET', 'slowlog-log-slower-than', '-1');
      const wall = await scriptDurations(redis);
      cpu.sort((a, b) => a - b);
      const placed = await redis.llen(keys.waiting);
      if (placed !== shoppers) throw new Error(`placed ${placed} of ${shoppers}`);
      if (wall.length !== cpu.length) throw new Error(`logged ${wall.length} of ${cpu.length}`);
      const ms = (micros: number) => fixed(micros / 1000, 2);
      const longestMs = quantile(wall, 1) / 1000;
      const longestCpu = quantile(cpu, 1);
      const load = loadavg()[0] ?? 0;

      const row = (name: string, figure: string, goal: string, met: boolean | null): Row => ({
        case: name,
        figure,
        p99: '-',
        cpu: '-',
        baseline: '-',
        ratio: '-',
        goal,
        met,
      });
      const n = grouped(shoppers);
      return [
        row(
          `Redis bytes per pre-queued shopper, ${n} pre-queued (MEMORY USAGE)`,
          `${fixed(bytes, 1)} B`,
          `<= ${goalBytes} B`,
          bytes <= goalBytes,
        ),
        row(
          `open a pre-queue of ${n}: time to fix and place the order`,
          `${fixed(totalMs / 1000, 2)} s in ${grouped(cpu.length)} calls of ${openChunk} (and an INFO read around each)`,
          '(context)',
          null,
        ),
        row(
          `open a pre-queue of ${n}: longest single Redis call, as Redis CPU (INFO cpu, main thread: the time the call kept Redis from everyone else)`,
          `${ms(longestCpu)} ms (median ${ms(quantile(cpu, 0.5))}, p99 ${ms(quantile(cpu, 0.99))})`,
          `<= ${goalCallMs} ms`,
          longestCpu / 1000 <= goalCallMs,
        ),
        row(
          `open a pre-queue of ${n}: longest single Redis call, as wall time (SLOWLOG; includes any time the OS preempted Redis)`,
          `${fixed(longestMs, 2)} ms (median ${ms(quantile(wall, 0.5))}, p99 ${ms(quantile(wall, 0.99))}; load ${fixed(load, 1)})`,
          '(context)',
          null,
        ),
      ];
    } finally {
      redis.disconnect();
      await stopRedis(server);
    }
  },
};
