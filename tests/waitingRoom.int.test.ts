// The Lua decisions through their typed module, on the real Redis.
import type { RedisClient as Redis } from '../core/platform/redis';
import { WaitingRoom } from '../core/room/waitingRoom';
import { drainTick, soldOutChunk } from '../worker/drain';
import { deletePrefix, newRedis, snapshot, uniquePrefix } from './helpers/env';

const open = (totalStock: number) => ({
  totalStock,
  state: 'OPEN' as const,
  batchSize: 100,
  intervalMs: 1000,
  startsAt: null,
  endsAt: null,
});
let redis: Redis;
let prefix: string;
let room: WaitingRoom;
let codeCounter = 0;

beforeAll(() => {
  redis = newRedis();
});
beforeEach(() => {
  prefix = uniquePrefix();
  room = new WaitingRoom(redis, prefix, () => `R${++codeCounter}`);
});
afterEach(() => deletePrefix(redis, prefix));
afterAll(() => redis.quit());

async function joinAll(promotionId: number, users: string[]) {
  for (const user of users) await room.join(promotionId, user);
}
const range = (n: number, from = 1) => Array.from({ length: n }, (_, i) => `u${i + from}`);

describe('join', () => {
  test('gives tickets in arrival order and O(1) positions from the served counter', async () => {
    await room.save(1, open(10));
    await joinAll(1, range(5));
    await room.claim(1, 2);
    const view = await room.shopper(1, 'u5');
    expect(view.record).toEqual({ status: 'WAITING', ticket: 5 });
    expect(view.served).toBe(2); // position = 5 - 2 = 3
  });

  test('one read answers the record, the counters and the drain rate the worker stored', async () => {
    await room.save(1, open(10));
    await joinAll(1, range(3));
    expect((await room.shopper(1, 'u3')).drainRate).toBeNull();
    await redis.set(room.keys(1).drainRate, '12.500'); // as core/live/drainRate stores it
    const view = await room.shopper(1, 'u3');
    expect(view.drainRate).toBe(12.5);
    expect(view.record).toEqual({ status: 'WAITING', ticket: 3 });
    await redis.set(room.keys(1).drainRate, 'garbage');
    expect((await room.shopper(1, 'u3')).drainRate).toBeNull();
  });

  test('a repeated join returns the same ticket and never adds a second entry', async () => {
    await room.save(1, open(10));
    const first = await room.join(1, 'alice');
    const again = await room.join(1, 'alice');
    expect(first?.joinedNow).toBe(true);
    expect(again).toEqual({ ...first, joinedNow: false });
    expect(await redis.llen(room.keys(1).waiting)).toBe(1);
  });

  test('when the sale is sold out, a join is refused and the queue is unchanged', async () => {
    await room.save(1, open(1));
    await joinAll(1, ['a', 'b']);
    await drainTick(room, 1);
    const before = await snapshot(redis, prefix);
    await expect(room.join(1, 'late')).rejects.toMatchObject({ code: 'SOLD_OUT', status: 409 });
    expect(await snapshot(redis, prefix)).toEqual(before);
  });

  test('a sold-out shopper who already joined still gets their own result back', async () => {
    await room.save(1, open(1));
    await joinAll(1, ['a', 'b']);
    await drainTick(room, 1);
    expect((await room.join(1, 'b'))?.record).toEqual({
      status: 'FAILED',
      ticket: 2,
      reason: 'SOLD_OUT',
    });
  });

  test('a join to a promotion Redis has no state for answers null (rebuild, then retry) and writes nothing', async () => {
    expect(await room.join(42, 'a')).toBeNull();
    expect(await snapshot(redis, prefix)).toEqual({});
  });
});

describe('claim and issue', () => {
  test('winners are exactly the first tickets, with distinct codes', async () => {
    await room.save(7, open(3));
    await joinAll(7, range(6));
    const claimed = await room.claim(7, 6);
    expect(claimed.map((c) => c.ticket)).toEqual([1, 2, 3, 4, 5, 6]);
    const decided = await room.issue(7, 6);
    expect(decided.filter((d) => d.outcome === 'COMPLETED').map((d) => d.ticket)).toEqual([
      1, 2, 3,
    ]);
    expect(decided.filter((d) => d.outcome === 'FAILED').map((d) => d.detail)).toEqual([
      'SOLD_OUT',
      'SOLD_OUT',
      'SOLD_OUT',
    ]);
    const codes = decided.filter((d) => d.outcome === 'COMPLETED').map((d) => d.detail);
    expect(new Set(codes).size).toBe(3);
    expect(codes[0]).toMatch(/^7-1-R\d+$/);
    expect((await room.info(7))?.currentStock).toBe(0);
  });

  test('issue is idempotent: running it again decides nobody twice', async () => {
    await room.save(1, open(5));
    await joinAll(1, range(3));
    await room.claim(1, 3);
    expect(await room.issue(1, 3)).toHaveLength(3);
    const after = await snapshot(redis, prefix);
    expect(await room.issue(1, 3)).toEqual([]);
    expect(await snapshot(redis, prefix)).toEqual(after);
    expect(await redis.xlen(room.keys(1).decisions)).toBe(3);
  });

  test('overlapping claims are decided lowest ticket first, so join order holds', async () => {
    await room.save(1, open(2));
    await joinAll(1, range(4));
    await room.claim(1, 2); // tick A claims tickets 1-2 ...
    await room.claim(1, 2); // ... tick B claims 3-4 and issues first
    const firstIssue = await room.issue(1, 2);
    expect(firstIssue.map((d) => [d.ticket, d.outcome])).toEqual([
      [1, 'COMPLETED'],
      [2, 'COMPLETED'],
    ]);
    const secondIssue = await room.issue(1, 2);
    expect(secondIssue.map((d) => d.outcome)).toEqual(['FAILED', 'FAILED']);
  });
});

describe('save', () => {
  test('refuses a total below what is already issued and changes nothing', async () => {
    await room.save(1, open(5));
    await joinAll(1, range(3));
    await drainTick(room, 1);
    const before = await snapshot(redis, prefix);
    await expect(room.save(1, open(2))).rejects.toMatchObject({
      code: 'STOCK_BELOW_ISSUED',
    });
    expect(await snapshot(redis, prefix)).toEqual(before);
  });

  test('raising stock after sell-out reopens joins, and no state key has a TTL', async () => {
    await room.save(1, open(1));
    await joinAll(1, ['a']);
    await drainTick(room, 1);
    await room.save(1, open(2));
    expect((await room.join(1, 'b'))?.joinedNow).toBe(true);
    const keys = Object.values(room.keys(1)) as string[];
    for (const key of keys) expect(await redis.ttl(key)).toBeLessThan(0);
  });
});

describe('drain tick', () => {
  test('once stock is gone, everyone still waiting fails in bounded chunks within one tick', async () => {
    const waiting = soldOutChunk * 2 + 500;
    await room.save(1, open(10));
    // Concurrent calls on one connection go out pipelined; tickets still follow call order.
    await Promise.all(range(waiting).map((user) => room.join(1, user)));
    expect(await redis.llen(room.keys(1).waiting)).toBe(waiting);

    const report = await drainTick(room, 1);
    expect(report.claimed).toBe(waiting);
    expect(report.decided.filter((d) => d.outcome === 'COMPLETED')).toHaveLength(10);
    expect(report.decided.filter((d) => d.outcome === 'FAILED')).toHaveLength(waiting - 10);
    const info = await room.info(1);
    expect(info).toMatchObject({ queueSize: 0, processingCount: 0, issued: 10, currentStock: 0 });
  });

  test('a batch claimed by a tick that died is decided by the next tick', async () => {
    await room.save(1, open(2));
    await joinAll(1, range(5));
    await room.claim(1, 3); // the dead tick's claim: tickets 1-3 stuck in PROCESSING
    const report = await drainTick(room, 1);
    expect(report.decided.map((d) => [d.ticket, d.outcome])).toEqual([
      [1, 'COMPLETED'],
      [2, 'COMPLETED'],
      [3, 'FAILED'],
      [4, 'FAILED'],
      [5, 'FAILED'],
    ]);
  });
});
