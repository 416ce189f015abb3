// Opening a pre-queue of N shoppers (BENCH_MEMORY_SHOPPERS, 1,000,000 by
// default): Redis bytes per pre-queued shopper (MEMORY USAGE of the pre-queue),
// the time to place them all in the line in the drain's chunks, and the longest
// single openPrequeue call timed from this client (a round trip: an upper bound
// of what Redis spent, since no other call can run inside a script).
import { openChunk } from '../../worker/drain';
import { joinMany } from '../lib/fill';
import { fixed, grouped } from '../lib/stats';
import type { BenchCase, Row } from './types';

const goalBytes = 120;
const goalCallMs = 5;

export const prequeueOpen: BenchCase = {
  id: 'prequeue',
  async run({ redis, room, settings }) {
    const shoppers = settings.BENCH_MEMORY_SHOPPERS;
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
    const startedAt = performance.now();
    let longest = 0;
    let calls = 0;
    for (;;) {
      const callStart = performance.now();
      const left = await room.openPrequeue(promotionId, openChunk);
      longest = Math.max(longest, performance.now() - callStart);
      calls++;
      if (!left) break;
    }
    const totalMs = performance.now() - startedAt;
    const placed = await redis.llen(keys.waiting);
    await room.deleteState(promotionId);
    if (placed !== shoppers) throw new Error(`placed ${placed} of ${shoppers}`);

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
        `${fixed(totalMs / 1000, 2)} s in ${grouped(calls)} calls of ${openChunk}`,
        '(context)',
        null,
      ),
      row(
        `open a pre-queue of ${n}: longest single Redis call (client round trip)`,
        `${fixed(longest, 2)} ms`,
        `<= ${goalCallMs} ms`,
        longest <= goalCallMs,
      ),
    ];
  },
};
