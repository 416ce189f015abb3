// The write-behind on real MariaDB: every decision reaches the coupons table
// exactly once, through a database outage and a worker that died mid-way.
import { persistPending } from '../core/writeBehind/persistence';
import { DecisionLog } from '../core/writeBehind/decisionLog';
import { DeadLetters } from '../core/writeBehind/deadLetters';
import { WaitingRoom } from '../core/room/waitingRoom';
import { mysqlBase, uniquePrefix } from './helpers/env';
import { couponRows, joinAll, shoppers, waitUntilSettled } from './helpers/sale';
import { startSystem, type TestSystem } from './helpers/system';
import { startTcpProxy } from './helpers/tcpProxy';
import { waitFor } from './helpers/wait';

jest.setTimeout(90000);
let system: TestSystem;
afterEach(() => system.stop());

test('2,000 shoppers for 300 units: 300 rows with 300 distinct codes, stock 0, consistency clean', async () => {
  system = await startSystem({ DRAIN_INTERVAL_MS: '20', DRAIN_BATCH_SIZE: '200' });
  await system.api.initStock(1, 300);
  const users = shoppers(2000);
  const joins = await joinAll(system, 1, users);
  expect(joins.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(300);
  const info = await waitUntilSettled(system, 1);
  expect(info).toMatchObject({ issued: 300, currentStock: 0 });

  const rows = await couponRows(system, 1);
  expect(rows).toHaveLength(300);
  expect(new Set(rows.map((r) => r.code)).size).toBe(300);
  // Every row is the code the shopper was told.
  for (const row of rows.slice(0, 50)) {
    expect((await system.api.status(1, row.user_id)).body.data).toMatchObject({
      status: 'COMPLETED',
      couponCode: row.code,
    });
  }
  const report = (await system.api.consistency(1)).body.data;
  expect(report).toMatchObject({ clean: true, drift: 0, differences: [] });
});

test('the database goes away mid-drain: shoppers still get decisions, and every one is persisted exactly once when it is back', async () => {
  const proxy = await startTcpProxy(3306);
  const prefix = uniquePrefix();
  const viaProxy = `${mysqlBase.replace(/:\d+$/, `:${proxy.port}`)}/wr_${prefix}`;
  system = await startSystem(
    {
      REDIS_KEY_PREFIX: prefix,
      DATABASE_URL: viaProxy,
      DRAIN_INTERVAL_MS: '100',
      DRAIN_BATCH_SIZE: '25',
    },
    { withWorker: false },
  );
  try {
    await system.api.initStock(1, 300);
    const users = shoppers(600);
    const joins = await joinAll(system, 1, users);
    expect(joins.every((r) => r.status === 200)).toBe(true);
    await system.startWorker();
    await waitFor(
      () => system.api.info(1).then((r) => r.body.data),
      (info) => Number(info.issued) >= 50,
      { what: 'the first coupons' },
    );
    await proxy.cut();
    // Decisions go on without the database ...
    const duringOutage = await waitFor(
      () => system.api.info(1).then((r) => r.body.data),
      (info) => info.queueSize === 0 && info.processingCount === 0,
      { what: 'the drain to finish while the database is down' },
    );
    expect(duringOutage.issued).toBe(300);
    expect(Number(duringOutage.pendingPersist)).toBeGreaterThan(0);
    expect((await system.api.status(1, 's600')).body.data.status).toBe('FAILED');

    // ... and reach it once it is back.
    await proxy.restore();
    await waitUntilSettled(system, 1, 60000);
    const rows = await couponRows(system, 1);
    expect(rows).toHaveLength(300);
    expect(new Set(rows.map((r) => r.user_id)).size).toBe(300);
    expect((await system.api.consistency(1)).body.data).toMatchObject({ clean: true });
  } finally {
    await proxy.restore().catch(() => undefined);
    await system.stop();
    system = { stop: () => Promise.resolve() } as TestSystem;
    await proxy.close();
  }
});

test('decisions made by a worker that died before writing them are persisted exactly once, even if replayed', async () => {
  system = await startSystem({ DRAIN_INTERVAL_MS: '50' }, { withWorker: false });
  await system.api.initStock(1, 40);
  await joinAll(system, 1, shoppers(60));
  // The dead worker's half: claimed and decided in Redis, never written.
  const room = new WaitingRoom(system.redis, system.config.keyPrefix);
  await room.claim(1, 60);
  const decided = await room.issue(1, 60);
  expect(decided.filter((d) => d.outcome === 'COMPLETED')).toHaveLength(40);
  expect(await couponRows(system, 1)).toHaveLength(0);

  await system.startWorker();
  await waitUntilSettled(system, 1);
  expect(await couponRows(system, 1)).toHaveLength(40);

  // A redelivered log (same decisions again) writes nothing twice.
  const log = new DecisionLog(system.redis, system.config.keyPrefix);
  const winners = decided.filter((d) => d.outcome === 'COMPLETED');
  await log.append(
    1,
    winners.map((d) => ({
      promotionId: 1,
      userId: d.userId,
      ticket: d.ticket,
      code: d.detail,
      issuedAt: new Date(),
    })),
  );
  const report = await persistPending(
    system.db,
    log,
    new DeadLetters(system.redis, system.config.keyPrefix),
    1,
  );
  expect(report).toEqual({ persisted: 0, alreadyThere: 40, deadLettered: 0, holdEvents: 0 });
  expect(await couponRows(system, 1)).toHaveLength(40);
});

test('a decision the database refuses becomes a dead letter an operator can list and replay', async () => {
  system = await startSystem({ DRAIN_INTERVAL_MS: '50' }, { withWorker: false });
  await system.api.initStock(1, 5);
  await system.api.join(1, 'alice');
  // Someone wrote a different coupon for alice by hand: the decision clashes with it.
  await system.db('coupons').insert({
    promotion_id: 1,
    user_id: 'alice',
    ticket: 99,
    code: '1-99-HANDMADE00',
    state: 'ISSUED',
    issued_at: new Date(),
  });
  await system.startWorker();
  const letters = await waitFor(
    () =>
      system.api.call<{ id: string; kind: string; error: string }[]>('GET', '/api/dead-letters', {
        admin: true,
      }),
    (r) => r.body.data.length === 1,
    { what: 'a dead letter' },
  );
  const letter = letters.body.data[0];
  expect(letter).toMatchObject({ kind: 'decision', id: 'decision-1-alice' });
  expect(letter?.error).toMatch(/already holds coupon 1-99-HANDMADE00/);

  await system.db('coupons').where({ code: '1-99-HANDMADE00' }).delete();
  const replay = await system.api.call('POST', '/api/dead-letters/decision-1-alice/replay', {
    admin: true,
  });
  expect(replay.status).toBe(200);
  await waitUntilSettled(system, 1);
  const rows = await couponRows(system, 1);
  expect(rows).toHaveLength(1);
  expect(rows[0]?.code).toBe((await system.api.status(1, 'alice')).body.data.couponCode);
  expect((await system.api.call('GET', '/api/dead-letters', { admin: true })).body.data).toEqual(
    [],
  );
  expect(
    (await system.api.call('POST', '/api/dead-letters/nope/replay', { admin: true })).status,
  ).toBe(404);
});

test('a persist job out of retries is a dead letter while the database is away, and clears itself once it is back', async () => {
  const proxy = await startTcpProxy(3306);
  const prefix = uniquePrefix();
  system = await startSystem(
    {
      REDIS_KEY_PREFIX: prefix,
      DATABASE_URL: `${mysqlBase.replace(/:\d+$/, `:${proxy.port}`)}/wr_${prefix}`,
      DRAIN_INTERVAL_MS: '50',
      PERSIST_ATTEMPTS: '2',
      PERSIST_BACKOFF_MS: '100',
    },
    { withWorker: false },
  );
  const letters = () =>
    system.api.call<{ id: string; kind: string }[]>('GET', '/api/dead-letters', { admin: true });
  try {
    await system.api.initStock(1, 10);
    await system.startWorker();
    await proxy.cut(); // joins and decisions need only Redis
    await joinAll(system, 1, shoppers(10));
    const during = await waitFor(letters, (r) => r.body.data.some((l) => l.id === 'job-1'), {
      what: 'the persist job to run out of retries',
    });
    expect(during.body.data.find((l) => l.id === 'job-1')).toMatchObject({ kind: 'persist-job' });
    await proxy.restore();
    await waitUntilSettled(system, 1);
    expect(await couponRows(system, 1)).toHaveLength(10);
    await waitFor(letters, (r) => r.body.data.length === 0, { what: 'the dead letter to clear' });
  } finally {
    await proxy.restore().catch(() => undefined);
    await system.stop();
    system = { stop: () => Promise.resolve() } as TestSystem;
    await proxy.close();
  }
});
