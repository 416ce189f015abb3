// Redis restarted empty mid-sale: the state is rebuilt from the database before
// any join or drain touches it; nobody wins twice and stock is never exceeded.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startPrivateRedis, type PrivateRedis } from './helpers/privateRedis';
import { couponRows, joinAll, shoppers, waitUntilSettled } from './helpers/sale';
import { startSystem, type TestSystem } from './helpers/system';
import { waitFor } from './helpers/wait';

jest.setTimeout(90000);
let system: TestSystem | undefined;
let redis: PrivateRedis | undefined;
afterEach(async () => {
  await system?.stop();
  await redis?.stop();
  system = undefined;
  redis = undefined;
});

test('Redis restarted empty mid-sale: rebuilt from the database, no second coupon, never over stock', async () => {
  redis = await startPrivateRedis();
  system = await startSystem(
    { REDIS_URL: redis.url, DRAIN_INTERVAL_MS: '100', DRAIN_BATCH_SIZE: '20' },
    { withWorker: false },
  );
  const s = system;
  await s.api.initStock(1, 150);
  const users = shoppers(400);
  await joinAll(s, 1, users);
  await s.startWorker();
  await waitFor(
    () => s.api.info(1).then((r) => r.body.data),
    (info) => Number(info.issued) >= 60 && info.pendingPersist === 0,
    { what: 'a third of the stock issued and persisted' },
  );
  const before = await couponRows(s, 1);

  await redis.restartEmpty();
  // Until the server's connection is back, /api answers 503 at once (clients retry).
  await waitFor(
    () => s.api.status(1, 'probe'),
    (r) => r.status !== 503,
    { what: 'the server to reconnect to Redis' },
  );

  // The next request rebuilds the promotion: earlier winners keep their coupon.
  for (const row of before.slice(0, 20)) {
    const again = await s.api.join(1, row.user_id);
    expect(again.status).toBe(409);
    expect(again.body.data).toMatchObject({ status: 'COMPLETED', couponCode: row.code });
  }
  const info = (await s.api.info(1)).body.data;
  expect(Number(info.issued)).toBeGreaterThanOrEqual(before.length);
  expect(Number(info.totalStock)).toBe(150);

  // Everyone who lost their place joins again; the sale finishes.
  await joinAll(s, 1, users);
  await waitUntilSettled(s, 1, 60000);
  const after = await couponRows(s, 1);
  expect(after.length).toBeLessThanOrEqual(150);
  expect(after.length).toBe(150);
  expect(new Set(after.map((r) => r.user_id)).size).toBe(after.length);
  const codeBefore = new Map(before.map((r) => [r.user_id, r.code]));
  for (const row of after) {
    if (codeBefore.has(row.user_id)) expect(row.code).toBe(codeBefore.get(row.user_id));
  }
  expect((await s.api.consistency(1)).body.data).toMatchObject({ clean: true });
});

test('the drain rebuilds a lost promotion by itself, and a stock change reaches Redis after a flush', async () => {
  redis = await startPrivateRedis();
  system = await startSystem({ REDIS_URL: redis.url, DRAIN_INTERVAL_MS: '50' });
  const s = system;
  await s.api.initStock(1, 10);
  await joinAll(s, 1, shoppers(4));
  await waitUntilSettled(s, 1);
  await redis.restartEmpty();
  // No request arrives: the worker's recovery rebuilds the state from the record.
  const rebuilt = await waitFor(
    () => s.redis.hgetall(`${s.config.keyPrefix}:{p1}:meta`).catch(() => ({})),
    (meta: Record<string, string>) => meta.issued === '4',
    { what: 'the worker to rebuild promotion 1' },
  );
  expect(rebuilt).toMatchObject({ total: '10', state: 'OPEN' });
  expect((await s.api.initStock(1, 3)).status).toBe(409); // still below the 4 issued
  expect((await s.api.initStock(1, 12)).body.data).toMatchObject({ currentStock: 8 });
});

test('smoke: with DATABASE_URL unset, an embedded SQLite file records the sale', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'wr-sqlite-'));
  try {
    system = await startSystem({
      DATABASE_URL: '',
      SQLITE_FILE: path.join(dir, 'sale.sqlite'),
      DRAIN_INTERVAL_MS: '20',
    });
    await system.api.initStock(1, 5);
    await joinAll(system, 1, shoppers(8));
    await waitUntilSettled(system, 1);
    const rows = await couponRows(system, 1);
    expect(rows).toHaveLength(5);
    const cancel = await system.api.coupon(rows[0]?.code ?? '', 'cancel', { asShop: true });
    expect(cancel.body.data).toMatchObject({ state: 'CANCELLED', unitReturned: true });
    // The unit goes to the first shopper on standby, and that coupon reaches the file too.
    await waitFor(
      async () => (await system?.api.status(1, 's6'))?.body.data,
      (state) => state?.status === 'COMPLETED',
      { what: 's6, first on standby, to get the returned unit' },
    );
    await waitUntilSettled(system, 1);
    expect(await couponRows(system, 1)).toHaveLength(6);
    expect((await system.api.consistency(1)).body.data).toMatchObject({ clean: true });
  } finally {
    await system?.stop();
    system = undefined;
    rmSync(dir, { recursive: true, force: true });
  }
});
