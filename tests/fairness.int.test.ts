// Fair allocation on the real Redis: the pre-queue's draw, its opening, the
// standby line for returned units, and the honest place (beyondStock).
import type { RedisClient as Redis } from '../core/platform/redis';
import type { RoomSettings } from '../core/model/promotion';
import { WaitingRoom } from '../core/room/waitingRoom';
import { AppError } from '../core/platform/errors';
import { describeLine } from '../core/useCases/line';
import { drainTick } from '../worker/drain';
import { deletePrefix, newRedis, uniquePrefix } from './helpers/env';

let redis: Redis;
const prefixes: string[] = [];
let codeCounter = 0;
beforeAll(() => {
  redis = newRedis();
});
afterAll(async () => {
  for (const prefix of prefixes) await deletePrefix(redis, prefix);
  await redis.quit();
});

function newRoom(): WaitingRoom {
  const prefix = uniquePrefix();
  prefixes.push(prefix);
  return new WaitingRoom(redis, prefix, () => `R${++codeCounter}`);
}

const hour = 3_600_000;
/** A sale whose pre-queue is open now and which starts in an hour. */
function prequeueing(totalStock: number, queueing: 'fifo' | 'random'): RoomSettings {
  const now = Date.now();
  return {
    totalStock,
    state: 'OPEN',
    batchSize: 100,
    intervalMs: 100,
    startsAt: new Date(now + hour),
    endsAt: null,
    prequeueAt: new Date(now - 1000),
    queueing,
  };
}
/** The same sale, started a moment ago (what PATCH startsAt or the clock does). */
const started = (s: RoomSettings): RoomSettings => ({ ...s, startsAt: new Date(Date.now() - 1) });
const users = (n: number, tag = 'u') => Array.from({ length: n }, (_, i) => `${tag}${i + 1}`);

async function openAll(room: WaitingRoom, id: number, chunk = 500): Promise<void> {
  while (((await room.openPrequeue(id, chunk)) ?? 0) > 0);
}

/** Shoppers in line order, after the pre-queue is open. */
const line = (room: WaitingRoom, id: number) => redis.lrange(room.keys(id).waiting, 0, -1);

describe('pre-queue', () => {
  test('before prequeueAt a join is refused NOT_STARTED carrying both times; nothing is kept', async () => {
    const room = newRoom();
    const s = prequeueing(10, 'fifo');
    await room.save(1, { ...s, prequeueAt: new Date(Date.now() + 60_000) });
    const refusal = await room.join(1, 'early').catch((err: unknown) => err);
    expect(refusal).toBeInstanceOf(AppError);
    expect((refusal as AppError).code).toBe('NOT_STARTED');
    expect((refusal as AppError).data).toEqual({
      startsAt: s.startsAt?.toISOString(),
      prequeueAt: new Date(Number(await redis.hget(room.keys(1).meta, 'prequeueAt'))).toISOString(),
    });
    expect((await room.info(1))?.prequeued).toBe(0);
  });

  test('a pre-queued join has no place until startsAt; a repeated join keeps its draw', async () => {
    const room = newRoom();
    await room.save(1, prequeueing(10, 'random'));
    const first = await room.join(1, 'a');
    const again = await room.join(1, 'a');
    expect(first).toMatchObject({ prequeued: true, joinedNow: true });
    expect(again).toMatchObject({ prequeued: true, joinedNow: false });
    expect(again?.record.ticket).toBe(first?.record.ticket);
    const view = await room.shopper(1, 'a');
    expect(describeLine(1, 'a', view, null)).toEqual({
      promotionId: 1,
      userId: 'a',
      status: 'WAITING',
      prequeued: true,
      startsAt: new Date(view.line.startsAt ?? 0).toISOString(),
    });
    // Nobody is claimed before the sale starts.
    expect(await room.claim(1, 10)).toEqual([]);
  });

  test('fifo keeps arrival order; late joiners, even during a chunked opening, come after the whole pre-queue', async () => {
    const room = newRoom();
    const s = prequeueing(100, 'fifo');
    await room.save(1, s);
    for (const u of users(50, 'p')) await room.join(1, u);
    await room.save(1, started(s));
    // Joins after startsAt, before and while the opening runs in small chunks.
    await room.join(1, 'late1');
    expect(await room.openPrequeue(1, 7)).toBe(43);
    expect(await room.claim(1, 10)).toEqual([]); // the pre-queue is placed first
    await room.join(1, 'late2');
    await openAll(room, 1, 7);
    await room.join(1, 'late3');
    expect(await line(room, 1)).toEqual([...users(50, 'p'), 'late1', 'late2', 'late3']);
    // Tickets follow the line, so positions stay O(1) from the served counter.
    for (const [i, u] of (await line(room, 1)).entries()) {
      expect((await room.shopper(1, u)).record).toEqual({ status: 'WAITING', ticket: i + 1 });
    }
  });

  test('once started, a pre-queued shopper not yet placed already knows their place (O(log n) rank)', async () => {
    const room = newRoom();
    const s = prequeueing(100, 'random');
    await room.save(1, s);
    for (const u of users(30)) await room.join(1, u);
    await room.save(1, started(s));
    await room.openPrequeue(1, 5); // fixes the order, places the last 5
    const told = new Map<string, number>();
    for (const u of users(30)) {
      const view = await room.shopper(1, u);
      expect(view.prequeued).toBe(false);
      told.set(u, view.record?.ticket ?? 0);
      // A repeated join now answers the same place.
      expect((await room.join(1, u))?.record.ticket).toBe(view.record?.ticket);
    }
    await openAll(room, 1);
    const placed = await line(room, 1);
    expect(placed.map((u) => told.get(u))).toEqual(placed.map((_u, i) => i + 1));
  });

  test('a pre-queued shopper the database already knows takes no ticket: every later place is still exact', async () => {
    const room = newRoom();
    const s = prequeueing(100, 'fifo');
    await room.save(1, s);
    for (const u of users(10, 'p')) await room.join(1, u);
    // Reconciliation put back a coupon the database holds for p7 (and for p10, the first placed).
    await room.restoreShoppers(
      1,
      [
        { userId: 'p7', ticket: 1, code: '1-1-AAAAAAAAAA' },
        { userId: 'p10', ticket: 2, code: '1-2-BBBBBBBBBB' },
      ],
      [],
    );
    await room.save(1, started(s));
    await openAll(room, 1, 3);
    await room.join(1, 'late');
    const waiting = [...users(9, 'p').filter((u) => u !== 'p7'), 'late'];
    expect(await line(room, 1)).toEqual(waiting);
    const places = async () => {
      const told: number[] = [];
      for (const u of await line(room, 1)) {
        told.push(describeLine(1, u, await room.shopper(1, u), null).position ?? 0);
      }
      return told;
    };
    // 8 pre-queued shoppers, then the late one: places 1..9, nobody counted twice or skipped.
    expect(await places()).toEqual(waiting.map((_u, i) => i + 1));
    expect((await room.claim(1, 4)).map((c) => c.userId)).toEqual(waiting.slice(0, 4));
    expect(await places()).toEqual(waiting.slice(4).map((_u, i) => i + 1));
    expect((await room.shopper(1, 'p7')).record?.status).toBe('COMPLETED');
  });

  test('random is fair: the first 100 of 1,000 pre-queued shoppers win 100 units about 10% each', async () => {
    // 30 draws of 1,000 shoppers, 100 places. Wins of the first 100 joiners in one
    // draw are hypergeometric (mean 10, variance 8.11); over 30 draws the sum has
    // mean 300 and sd 15.6. Bounds of 4.5 sd: a false alarm about once in 150,000 runs.
    // fifo, the control, gives them every place.
    const draws = 30;
    let wins = 0;
    const firstPlaces = new Map<string, number>();
    for (let d = 0; d < draws; d++) {
      const room = newRoom();
      const s = prequeueing(100, 'random');
      await room.save(1, s);
      await Promise.all(users(1000).map((u) => room.join(1, u)));
      await room.save(1, started(s));
      await openAll(room, 1);
      const winners = (await line(room, 1)).slice(0, 100);
      wins += winners.filter((u) => Number(u.slice(1)) <= 100).length;
      const first = winners[0] ?? '';
      firstPlaces.set(first, (firstPlaces.get(first) ?? 0) + 1);
      await deletePrefix(redis, prefixes.pop() ?? '');
    }
    expect(wins).toBeGreaterThan(300 - 4.5 * 15.6);
    expect(wins).toBeLessThan(300 + 4.5 * 15.6);
    // Nobody is first more than 4 times in 30 draws of 1,000 (p < 1e-6 per run).
    expect(Math.max(...firstPlaces.values())).toBeLessThanOrEqual(4);

    const control = newRoom();
    const s = prequeueing(100, 'fifo');
    await control.save(1, s);
    for (const u of users(1000)) await control.join(1, u);
    await control.save(1, started(s));
    await openAll(control, 1);
    expect((await line(control, 1)).slice(0, 100)).toEqual(users(100));
  });
});

describe('standby', () => {
  const open = (totalStock: number, standby = true): RoomSettings => ({
    totalStock,
    state: 'OPEN',
    batchSize: 10,
    intervalMs: 100,
    startsAt: null,
    endsAt: null,
    standby,
  });

  async function soldOut(room: WaitingRoom, standby = true) {
    await room.save(1, open(3, standby));
    for (const u of users(7)) await room.join(1, u);
    const { decided } = await drainTick(room, 1);
    return decided.filter((d) => d.outcome === 'COMPLETED').map((d) => d.detail);
  }

  test('failed SOLD_OUT shoppers wait on standby in ticket order; concurrent returns reach the first ones, exactly once', async () => {
    const room = newRoom();
    const codes = await soldOut(room);
    expect(codes).toHaveLength(3);
    for (const [i, u] of ['u4', 'u5', 'u6', 'u7'].entries()) {
      const state = describeLine(1, u, await room.shopper(1, u), null);
      expect(state).toMatchObject({ status: 'FAILED', standby: true, standbyPosition: i + 1 });
    }
    // Two coupons cancelled at once, each return sent twice, and two ticks racing.
    await Promise.all(
      [...codes.slice(0, 2), ...codes.slice(0, 2)].map((c) => room.returnUnit(1, c)),
    );
    // While the standby line waits, a new shopper is refused.
    await expect(room.join(1, 'newcomer')).rejects.toMatchObject({ code: 'SOLD_OUT' });
    const ticks = await Promise.all([drainTick(room, 1), drainTick(room, 1)]);
    const served = ticks.flatMap((t) => t.fromStandby);
    expect(served.map((d) => [d.userId, d.outcome])).toEqual([
      ['u4', 'COMPLETED'],
      ['u5', 'COMPLETED'],
    ]);
    expect((await room.info(1))?.issued).toBe(3);
    expect(describeLine(1, 'u6', await room.shopper(1, 'u6'), null)).toMatchObject({
      standby: true,
      standbyPosition: 1,
    });
    // Both coupons are in the write-behind log, as issueBatch's are.
    const logged = await redis.xrange(room.keys(1).decisions, '-', '+');
    const loggedUsers = logged.map(([, fields]) => fields[fields.indexOf('u') + 1]);
    expect(loggedUsers.filter((u) => u === 'u4' || u === 'u5')).toHaveLength(2);
  });

  test('a worker killed after the standby step loses nothing and gives nothing twice', async () => {
    const room = newRoom();
    const [code = ''] = await soldOut(room);
    await room.returnUnit(1, code);
    // The step ran; the worker died before telling anyone. The next ticks find nothing to redo.
    expect((await room.serveStandby(1, 10)).map((d) => d.userId)).toEqual(['u4']);
    expect((await drainTick(room, 1)).fromStandby).toEqual([]);
    expect((await room.info(1))?.issued).toBe(3);
    expect((await room.shopper(1, 'u4')).record?.status).toBe('COMPLETED');
  });

  test('closing ends the standby line and status says so; standby off fails for good', async () => {
    const room = newRoom();
    const [code = ''] = await soldOut(room);
    await room.save(1, { ...open(3), state: 'CLOSED' });
    await room.returnUnit(1, code);
    expect((await drainTick(room, 1)).fromStandby).toEqual([]);
    expect(describeLine(1, 'u4', await room.shopper(1, 'u4'), null)).toMatchObject({
      status: 'FAILED',
      standby: false,
      standbyEnded: true,
    });

    const off = newRoom();
    const [offCode = ''] = await soldOut(off, false);
    expect(describeLine(1, 'u4', await off.shopper(1, 'u4'), null)).toMatchObject({
      standby: false,
    });
    await off.returnUnit(1, offCode);
    await off.join(1, 'newcomer'); // the unit goes back to the sale
    expect((await drainTick(off, 1)).decided.map((d) => [d.userId, d.outcome])).toEqual([
      ['newcomer', 'COMPLETED'],
    ]);
  });
});

test('beyondStock flips as stock changes: 5 units for 16 places, then 20', async () => {
  const room = newRoom();
  const s: RoomSettings = {
    totalStock: 5,
    state: 'PAUSED',
    batchSize: 10,
    intervalMs: 100,
    startsAt: null,
    endsAt: null,
  };
  await room.save(1, s);
  for (const u of users(16)) await room.join(1, u);
  const outlook = async (u: string) => describeLine(1, u, await room.shopper(1, u), 10);
  expect(await outlook('u5')).toMatchObject({ position: 5, beyondStock: false, etaSeconds: 1 });
  expect(await outlook('u16')).toMatchObject({ position: 16, beyondStock: true, etaSeconds: null });
  await room.save(1, { ...s, totalStock: 20 });
  expect(await outlook('u16')).toMatchObject({ beyondStock: false, etaSeconds: 2 });
  await room.save(1, { ...s, totalStock: 15 });
  expect(await outlook('u16')).toMatchObject({ beyondStock: true });
});
