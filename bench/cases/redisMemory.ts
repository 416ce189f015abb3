// Redis memory per waiting shopper: join N shoppers through the real join script
// (pipelined from this process, no HTTP) and divide the growth by N. Two views:
// INFO used_memory before/after (everything the joins cost Redis, but shared with
// whatever else uses this Redis) and MEMORY USAGE of the promotion's keys (exact).
import type { Redis } from 'ioredis';
import { joinMany } from '../lib/fill';
import { fixed, grouped, median } from '../lib/stats';
import type { BenchCase, Row } from './types';

const goalBytes = 120;

async function memoryInfo(redis: Redis, field: string): Promise<number> {
  const match = new RegExp(`^${field}:(\\d+)`, 'm').exec(await redis.info('memory'));
  return Number(match?.[1] ?? Number.NaN);
}

/** Waits until Redis has freed what an UNLINK handed to its background thread. */
async function settleLazyFree(redis: Redis): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if ((await memoryInfo(redis, 'lazyfree_pending_objects')) === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function memoryUsage(redis: Redis, key: string): Promise<number> {
  return Number(await redis.call('MEMORY', 'USAGE', key, 'SAMPLES', '0'));
}

export const redisMemory: BenchCase = {
  id: 'memory',
  async run({ redis, room, settings }) {
    const shoppers = settings.BENCH_MEMORY_SHOPPERS;
    const used: number[] = [];
    const exact: number[] = [];
    const usersHash: number[] = [];
    const waitingList: number[] = [];
    const joinRates: number[] = [];
    for (let round = 0; round < settings.BENCH_ROUNDS; round++) {
      const promotionId = 100 + round;
      const keys = room.keys(promotionId);
      await room.save(promotionId, {
        totalStock: 1_000_000_000,
        state: 'OPEN',
        batchSize: 100,
        intervalMs: 1000,
        startsAt: null,
        endsAt: null,
      });
      await settleLazyFree(redis);
      const before = await memoryInfo(redis, 'used_memory');
      const startedAt = performance.now();
      // Numeric ids of 8 digits, as a shop's user ids would be.
      await joinMany(room, promotionId, shoppers, (i) => String(10_000_000 + i));
      joinRates.push(shoppers / ((performance.now() - startedAt) / 1000));
      used.push(((await memoryInfo(redis, 'used_memory')) - before) / shoppers);
      const sizes = await Promise.all(
        [keys.users, keys.waiting, keys.meta].map((key) => memoryUsage(redis, key)),
      );
      exact.push(sizes.reduce((a, b) => a + b, 0) / shoppers);
      usersHash.push((sizes[0] ?? 0) / shoppers);
      waitingList.push((sizes[1] ?? 0) / shoppers);
      await redis.unlink(keys.users, keys.waiting, keys.meta);
    }
    const row = (name: string, bytes: number, detail = ''): Row => ({
      case: name,
      figure: `${fixed(bytes, 1)} B${detail}`,
      p99: '-',
      cpu: '-',
      baseline: '-',
      ratio: '-',
      goal: `<= ${goalBytes} B`,
      met: bytes <= goalBytes,
    });
    return [
      row(
        `Redis bytes per waiting shopper, ${grouped(shoppers)} waiting (used_memory)`,
        median(used),
      ),
      row(
        `Redis bytes per waiting shopper, ${grouped(shoppers)} waiting (MEMORY USAGE)`,
        median(exact),
        ` (users hash ${fixed(median(usersHash), 1)}, waiting list ${fixed(median(waitingList), 1)})`,
      ),
      {
        case: 'join script pipelined from one client (no HTTP)',
        figure: `${grouped(median(joinRates))} joins/s`,
        p99: '-',
        cpu: '-',
        baseline: '-',
        ratio: '-',
        goal: '(context)',
        met: null,
      },
    ];
  },
};
