// The sold-out fast path on the real Redis: refusals without a round trip only
// for shoppers Redis does not know, and only inside the window.
import type { RedisClient as Redis } from '../core/platform/redis';
import { WaitingRoom } from '../core/room/waitingRoom';
import { SoldOutCache } from '../core/room/soldOutCache';
import { drainTick } from '../worker/drain';
import { deletePrefix, newRedis, snapshot, uniquePrefix } from './helpers/env';
import { waitFor } from './helpers/wait';

const open = (totalStock: number) => ({
  totalStock,
  state: 'OPEN' as const,
  batchSize: 1000,
  intervalMs: 1000,
  startsAt: null,
  endsAt: null,
});
const windowMs = 1000;
let redis: Redis;
let prefix: string;
let room: WaitingRoom;
let clock: number;
let cache: SoldOutCache;

beforeAll(() => {
  redis = newRedis();
});
beforeEach(() => {
  prefix = uniquePrefix();
  room = new WaitingRoom(redis, prefix);
  clock = 1_000_000;
  cache = new SoldOutCache(room, windowMs, { now: () => clock });
});
afterEach(() => deletePrefix(redis, prefix));
afterAll(() => redis.quit());

/** Sells promotion 1 out to `shoppers` joiners (stock 1) and lets the cache see it. */
async function sellOut(shoppers: string[]) {
  await room.save(1, open(1));
  for (const id of shoppers) await room.join(1, id);
  await drainTick(room, 1);
  await expect(cache.join(1, 'first-late')).rejects.toMatchObject({ code: 'SOLD_OUT' });
  await cache.settled();
}

test('after a sell-out is seen, new shoppers are refused without Redis and the queue is unchanged', async () => {
  await sellOut(['a', 'b']);
  // refusal() is synchronous: an answer from it cannot have touched Redis.
  expect(cache.refusal(1, 'newcomer')).not.toBeNull();
  const before = await snapshot(redis, prefix);
  await expect(cache.join(1, 'newcomer')).rejects.toMatchObject({ code: 'SOLD_OUT', status: 409 });
  expect(await snapshot(redis, prefix)).toEqual(before);
});

test('every shopper Redis knows still gets their own record during the window', async () => {
  // 500 shoppers: the users hash leaves the small encoding, so HSCAN takes several pages.
  const shoppers = Array.from({ length: 500 }, (_, i) => `known-${i}`);
  await sellOut(shoppers);
  expect(cache.refusal(1, 'stranger')).not.toBeNull();
  expect(shoppers.filter((id) => cache.refusal(1, id))).toEqual([]);
  const winner = await cache.join(1, 'known-0');
  expect(winner?.record).toMatchObject({ status: 'COMPLETED', ticket: 1 });
  const loser = await cache.join(1, 'known-499');
  expect(loser?.record).toMatchObject({ status: 'FAILED', reason: 'SOLD_OUT' });
});

test('trust ends when the window does: the next join asks Redis again', async () => {
  await sellOut(['a']);
  clock += windowMs - 1;
  expect(cache.refusal(1, 'z')).not.toBeNull();
  clock += 1;
  expect(cache.refusal(1, 'z')).toBeNull();
  await room.save(1, open(2)); // restocked meanwhile, elsewhere
  await expect(cache.join(1, 'z')).resolves.toMatchObject({ joinedNow: true });
});

test('a promotion that is not sold out is never refused, and 0 disables the cache', async () => {
  await room.save(1, open(5));
  await cache.join(1, 'a');
  await cache.settled();
  expect(cache.refusal(1, 'b')).toBeNull();

  const disabled = new SoldOutCache(room, 0, { now: () => clock });
  await room.save(2, open(0));
  await expect(disabled.join(2, 'x')).rejects.toMatchObject({ code: 'SOLD_OUT' });
  await disabled.settled();
  expect(disabled.refusal(2, 'y')).toBeNull();
});

test('init-stock through this process (forget) reopens at once, even against a late refusal', async () => {
  await sellOut(['a']);
  cache.forget(1);
  expect(cache.refusal(1, 'z')).toBeNull();
  // A join that started before the restock and saw SOLD_OUT must not re-arm the cache.
  clock -= 1;
  await expect(cache.join(1, 'slow')).rejects.toMatchObject({ code: 'SOLD_OUT' });
  clock += 1;
  await cache.settled();
  expect(cache.refusal(1, 'z')).toBeNull();
});

test('a restock made by another process reopens joins here within the window (real clock)', async () => {
  const here = new SoldOutCache(room, 500);
  const otherConnection = newRedis();
  const elsewhere = new WaitingRoom(otherConnection, prefix);
  try {
    await room.save(1, open(0));
    await expect(here.join(1, 'early')).rejects.toMatchObject({ code: 'SOLD_OUT' });
    await here.settled();
    expect(here.refusal(1, 'after-restock')).not.toBeNull();

    await elsewhere.save(1, open(1));
    const restockedAt = Date.now();
    await waitFor(
      () =>
        here.join(1, 'after-restock').then(
          (outcome) => outcome?.joinedNow === true,
          () => false,
        ),
      (joined) => joined,
      { what: 'a join to succeed after the restock', timeoutMs: 5000, intervalMs: 10 },
    );
    // The window bounds staleness; generous slack for a busy machine's scheduling.
    expect(Date.now() - restockedAt).toBeLessThan(500 + 400);
  } finally {
    await otherConnection.quit();
  }
});
