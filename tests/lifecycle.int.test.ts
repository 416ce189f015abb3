// Coupon lifecycle and the marketer's promotion API, on real Redis and MariaDB.
import { drainSchedulerId } from '../core/jobs/drainJobs';
import { keysOf, snapshot } from './helpers/env';
import { couponRows, joinAll, shoppers, waitUntilSettled } from './helpers/sale';
import { startSystem, type TestSystem } from './helpers/system';
import { inParallel, waitFor } from './helpers/wait';

jest.setTimeout(60000);
let system: TestSystem;
afterEach(() => system.stop());

/** A picture of both sides: Redis keys and every coupon row. */
async function bothSides(s: TestSystem) {
  return {
    redis: await snapshot(s.redis, s.config.keyPrefix),
    db: await s.db('coupons').orderBy('id'),
  };
}

async function soldOutSale(s: TestSystem, stock: number, crowd: number) {
  await s.api.initStock(1, stock);
  await joinAll(s, 1, shoppers(crowd));
  await waitUntilSettled(s, 1);
  return couponRows(s, 1);
}

describe('coupons', () => {
  beforeEach(async () => {
    system = await startSystem({ DRAIN_INTERVAL_MS: '20' });
  });

  test('a cancel returns exactly one unit, which goes to the first shopper on standby before any newcomer', async () => {
    const rows = await soldOutSale(system, 3, 5);
    expect((await system.api.join(1, 'late')).body.code).toBe('SOLD_OUT');
    // The crowd joined in parallel, so who is first on standby is whoever got the lower
    // of the two tickets past the stock.
    const states = await Promise.all(
      shoppers(5).map(async (u) => ({ u, data: (await system.api.status(1, u)).body.data })),
    );
    const onStandby = states
      .filter(({ data }) => data.standby === true)
      .sort((a, b) => Number(a.data.ticket) - Number(b.data.ticket));
    expect(onStandby.map(({ data }) => [data.status, data.standbyPosition])).toEqual([
      ['FAILED', 1],
      ['FAILED', 2],
    ]);
    const [first, second] = onStandby.map(({ u }) => u);
    const code = rows[0]?.code ?? '';
    // Ten concurrent cancels of one code: one wins, one unit comes back.
    const cancels = await inParallel(
      Array.from({ length: 10 }, () => () => system.api.coupon(code, 'cancel', { asShop: true })),
      10,
    );
    expect(cancels.filter((r) => r.status === 200)).toHaveLength(1);
    expect(cancels.filter((r) => r.status === 409)).toHaveLength(9);

    await waitFor(
      async () => (await system.api.status(1, first ?? '')).body.data,
      (state) => state.status === 'COMPLETED',
      { what: 'the first on standby to get the returned unit' },
    );
    expect((await system.api.status(1, second ?? '')).body.data).toMatchObject({
      standbyPosition: 1,
    });
    expect((await system.api.join(1, 'late')).body.code).toBe('SOLD_OUT');
    expect((await system.api.info(1)).body.data).toMatchObject({ issued: 3, currentStock: 0 });
    await waitUntilSettled(system, 1);
    expect((await system.api.consistency(1)).body.data).toMatchObject({ clean: true });
  });

  test.each([
    ['cancel twice', ['cancel'], 'cancel', 409, 'is CANCELLED'],
    ['use after cancel', ['cancel'], 'use', 409, 'is CANCELLED'],
    ['revoke after use', ['use'], 'revoke', 409, 'is USED'],
    ['use twice', ['use'], 'use', 409, 'is USED'],
  ] as const)('%s: a clear 4xx and nothing changes', async (_name, first, then, status, says) => {
    const rows = await soldOutSale(system, 2, 2);
    const code = rows[0]?.code ?? '';
    for (const action of first)
      expect((await system.api.coupon(code, action, { asShop: true })).status).toBe(200);
    const before = await bothSides(system);
    const res = await system.api.coupon(code, then, { asShop: true });
    expect(res.status).toBe(status);
    expect(res.body.code).toBe('COUPON_STATE_CONFLICT');
    expect(res.body.message).toContain(says);
    expect(await bothSides(system)).toEqual(before);
  });

  test('unknown, malformed and unauthorised coupon requests change nothing', async () => {
    await soldOutSale(system, 1, 1);
    const before = await bothSides(system);
    const unknown = await system.api.coupon('1-7-ABCDEFGHJK', 'cancel', { asShop: true });
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('COUPON_NOT_FOUND');
    const malformed = await system.api.coupon('not-a-code', 'use', { asShop: true });
    expect(malformed.status).toBe(400);
    expect(malformed.body.message).toMatch(/code is not a coupon code/);
    const revoke = await system.api.call('POST', '/api/coupons/1-1-ABCDEFGHJK/revoke');
    expect(revoke.status).toBe(401);
    expect(await bothSides(system)).toEqual(before);
  });

  test('a revoke returns the unit; a coupon decided but not yet persisted can be used at once', async () => {
    const rows = await soldOutSale(system, 2, 2);
    const revoked = await system.api.coupon(rows[0]?.code ?? '', 'revoke', { asShop: true });
    expect(revoked.body.data).toMatchObject({ state: 'REVOKED', unitReturned: true });
    expect((await system.api.info(1)).body.data).toMatchObject({ currentStock: 1 });
  });
});

describe('promotions', () => {
  beforeEach(async () => {
    system = await startSystem({ DRAIN_INTERVAL_MS: '20' });
  });

  const create = (body: unknown) =>
    system.api.call('POST', '/api/promotions', { body, admin: true });

  test('create, list, get and update with optimistic versions', async () => {
    const created = await create({ name: 'Black Friday', totalStock: 50, batchSize: 10 });
    expect(created.status).toBe(201);
    const id = Number(created.body.data.id);
    expect(created.body.data).toMatchObject({ name: 'Black Friday', state: 'OPEN', version: 1 });
    expect(created.body.data.live).toMatchObject({ totalStock: 50, batchSize: 10 });

    const list = await system.api.call<{ id: number }[]>('GET', '/api/promotions', { admin: true });
    expect(list.body.data.map((p) => p.id)).toEqual([id]);

    const patched = await system.api.call('PATCH', `/api/promotions/${id}`, {
      body: { version: 1, totalStock: 80, name: 'Black Friday 2' },
      admin: true,
    });
    expect(patched.body.data).toMatchObject({ version: 2, totalStock: 80, name: 'Black Friday 2' });
    const stale = await system.api.call('PATCH', `/api/promotions/${id}`, {
      body: { version: 1, totalStock: 90 },
      admin: true,
    });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('VERSION_CONFLICT');
    expect((await system.api.info(id)).body.data.totalStock).toBe(80);
  });

  test('stock below what is issued is refused, and nothing changes on either side', async () => {
    await soldOutSale(system, 3, 3);
    const before = await bothSides(system);
    const res = await system.api.call('PATCH', '/api/promotions/1', {
      body: { version: 1, totalStock: 2 },
      admin: true,
    });
    expect(res.status).toBe(409);
    expect(res.body.message).toMatch(/below the 3 coupons already issued/);
    expect(await bothSides(system)).toEqual(before);
    const row: unknown = await system.db('promotions').where({ id: 1 }).first();
    expect(row).toMatchObject({ total_stock: 3, version: 1 });
  });

  test('pause stops admissions, resume restarts them, close fails everyone still waiting', async () => {
    await system.api.initStock(1, 100);
    await system.api.call('POST', '/api/promotions/1/pause', { admin: true });
    await joinAll(system, 1, shoppers(5));
    // Paused: joins are taken, nobody is admitted while several ticks pass.
    const served = async () => Number((await system.api.info(1)).body.data.served);
    const ticks = async () =>
      (await system.services.drainQueue.getJobScheduler(drainSchedulerId(1)))?.iterationCount ?? 0;
    const startTicks = await ticks();
    await waitFor(ticks, (n) => n >= startTicks + 3, { what: 'three ticks while paused' });
    const paused = await system.api.info(1);
    expect(paused.body.data).toMatchObject({ state: 'PAUSED', queueSize: 5 });
    expect(await served()).toBe(0);
    await system.api.call('POST', '/api/promotions/1/resume', { admin: true });
    await waitUntilSettled(system, 1);
    expect((await system.api.status(1, 's1')).body.data.status).toBe('COMPLETED');

    await system.api.call('POST', '/api/promotions/1/pause', { admin: true });
    await joinAll(system, 1, shoppers(3, 'w'));
    await system.api.call('POST', '/api/promotions/1/close', { admin: true });
    await waitUntilSettled(system, 1);
    expect((await system.api.status(1, 'w1')).body.data).toMatchObject({
      status: 'FAILED',
      reason: 'CLOSED',
    });
    const join = await system.api.join(1, 'after-close');
    expect(join.status).toBe(409);
    expect(join.body.code).toBe('PROMOTION_CLOSED');
    const reopen = await system.api.call('POST', '/api/promotions/1/resume', { admin: true });
    expect(reopen.status).toBe(409);
  });

  test('delete leaves no Redis key of the promotion behind, and keeps or removes coupons as asked', async () => {
    await soldOutSale(system, 3, 6);
    const noChoice = await system.api.call('DELETE', '/api/promotions/1', { admin: true });
    expect(noChoice.status).toBe(400);
    expect(noChoice.body.message).toMatch(/coupons must be 'keep' or 'delete'/);

    const kept = await system.api.call('DELETE', '/api/promotions/1?coupons=keep', { admin: true });
    expect(kept.status).toBe(200);
    const left = (await keysOf(system.redis, system.config.keyPrefix)).filter((k) =>
      k.includes('{p1}'),
    );
    expect(left).toEqual([]);
    expect(await couponRows(system, 1)).toHaveLength(3);
    expect((await system.api.join(1, 'x')).status).toBe(404);
    expect((await system.api.info(1)).status).toBe(404);

    await system.api.initStock(2, 2);
    await joinAll(system, 2, shoppers(2));
    await waitUntilSettled(system, 2);
    const removed = await system.api.call('DELETE', '/api/promotions/2?coupons=delete', {
      admin: true,
    });
    expect(removed.body.data).toEqual({ couponsDeleted: 2 });
    expect(await couponRows(system, 2)).toHaveLength(0);
    expect(
      (await keysOf(system.redis, system.config.keyPrefix)).filter((k) => k.includes('{p2}')),
    ).toEqual([]);
  });

  test.each([
    ['no name', { totalStock: 5 }, 'name'],
    ['negative stock', { name: 'x', totalStock: -1 }, 'totalStock'],
    ['batch size 0', { name: 'x', totalStock: 5, batchSize: 0 }, 'batchSize'],
    ['interval 5 ms', { name: 'x', totalStock: 5, intervalMs: 5 }, 'intervalMs'],
    ['a bad date', { name: 'x', totalStock: 5, startsAt: 'tomorrow' }, 'startsAt'],
    [
      'end before start',
      {
        name: 'x',
        totalStock: 5,
        startsAt: '2026-12-02T00:00:00Z',
        endsAt: '2026-12-01T00:00:00Z',
      },
      'endsAt',
    ],
  ])('creating with %s is a 400 naming the field, and creates nothing', async (_n, body, field) => {
    const res = await create(body);
    expect(res.status).toBe(400);
    expect(res.body.message).toContain(field);
    expect(await system.db('promotions')).toEqual([]);
  });

  test('joins before startsAt and after endsAt are refused with a clear reason', async () => {
    const future = new Date(Date.now() + 3_600_000).toISOString();
    const past = new Date(Date.now() - 1000).toISOString();
    const early = await create({ name: 'later', totalStock: 5, startsAt: future });
    const late = await create({
      name: 'over',
      totalStock: 5,
      startsAt: '2020-01-01T00:00:00Z',
      endsAt: past,
    });
    const a = await system.api.join(early.body.data.id, 'u');
    const b = await system.api.join(late.body.data.id, 'u');
    expect([a.status, a.body.code]).toEqual([409, 'NOT_STARTED']);
    expect([b.status, b.body.code]).toEqual([409, 'ENDED']);
  });
});
