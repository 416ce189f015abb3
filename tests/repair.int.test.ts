// RECONCILE_REPAIR on real Redis and MariaDB: one reconcile tick repairs the drift
// the database proves, logs each repair, and never lets a unit sell twice while
// the drain and the write-behind keep running.
import { Writable } from 'node:stream';
import { findCoupon, transitionCoupon } from '../core/db/couponsRepo';
import { Metrics } from '../core/metrics/metrics';
import { createLogger } from '../core/platform/logger';
import { reconcileProcessor } from '../worker/jobs';
import { couponRows, joinAll, shoppers, waitUntilSettled } from './helpers/sale';
import { startSystem, type TestSystem } from './helpers/system';
import { waitFor } from './helpers/wait';

jest.setTimeout(90000);
let system: TestSystem;
afterEach(() => system.stop());

/** The worker's reconcile processor on the system's services, with its log lines kept. */
function reconciler(s: TestSystem) {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  const metrics = new Metrics({ defaultMetrics: false });
  const logger = createLogger('info', 'worker', sink);
  const tick = reconcileProcessor({ ...s.services, logger }, metrics);
  return { tick, lines, metrics };
}

/** A coupon cancelled in the database whose unit never went back to Redis. */
async function cancelWithoutReturn(s: TestSystem, code: string) {
  const coupon = await findCoupon(s.db, code);
  if (!coupon) throw new Error(`no coupon ${code}`);
  expect(await transitionCoupon(s.db, coupon, 'CANCELLED')).toBe(true);
}

test('one tick repairs a lost returned unit, a missing shopper record and the state, one log line each', async () => {
  system = await startSystem({ DRAIN_INTERVAL_MS: '20' });
  const id = (await system.api.createPromotion({ name: 'drift', totalStock: 10 })).body.data.id;
  await joinAll(system, id, shoppers(10));
  await waitUntilSettled(system, id);
  const rows = await couponRows(system, id);
  const s2 = rows.find((r) => r.user_id === 's2');
  await cancelWithoutReturn(system, rows.find((r) => r.user_id === 's1')?.code ?? '');
  const k = system.services.room.keys(id);
  await system.redis.hdel(k.users, 's2');
  await system.redis.hset(k.meta, 'state', 'PAUSED');
  expect((await system.api.consistency(id)).body.data.clean).toBe(false);

  const { tick, lines, metrics } = reconciler(system);
  expect(await tick()).toEqual({ drifting: 1, repaired: 3 });

  expect((await system.api.consistency(id)).body.data).toMatchObject({ clean: true, drift: 0 });
  expect((await system.api.info(id)).body.data).toMatchObject({ issued: 9, currentStock: 1 });
  expect((await system.api.status(id, 's2')).body.data).toMatchObject({
    status: 'COMPLETED',
    couponCode: s2?.code,
  });
  expect((await system.api.status(id, 's1')).body.data).toMatchObject({
    couponState: 'CANCELLED',
  });
  const repairs = lines.filter((l) => l.msg === 'drift repaired');
  expect(repairs.map(({ fact, before, after }) => ({ fact, before, after }))).toEqual(
    expect.arrayContaining([
      { fact: 'state', before: 'PAUSED', after: 'OPEN' },
      { fact: 'issued', before: 10, after: 9 },
      // s2's record is missing, and s1's still says ISSUED (the cancel bypassed Redis).
      { fact: 'shoppers', before: 2, after: 0 },
    ]),
  );
  expect(repairs).toHaveLength(3);
  expect(await metrics.registry.getSingleMetricAsString('waiting_room_repairs_total')).toMatch(
    new RegExp(`waiting_room_repairs_total\\{promotion="${id}",fact="issued"\\} 1`),
  );
  // The unit that came back sells to the next shopper, once.
  await joinAll(system, id, ['late']);
  await waitUntilSettled(system, id);
  expect((await system.api.status(id, 'late')).body.data.status).toBe('COMPLETED');
  expect((await system.api.info(id)).body.data).toMatchObject({ issued: 10, currentStock: 0 });
  // A clean promotion: the next tick changes nothing and says nothing.
  expect(await tick()).toEqual({ drifting: 0, repaired: 0 });
});

test('RECONCILE_REPAIR=report logs the drift and changes nothing', async () => {
  system = await startSystem({ DRAIN_INTERVAL_MS: '20', RECONCILE_REPAIR: 'report' });
  const id = (await system.api.createPromotion({ name: 'report', totalStock: 3 })).body.data.id;
  await joinAll(system, id, shoppers(3));
  await waitUntilSettled(system, id);
  await cancelWithoutReturn(system, (await couponRows(system, id))[0]?.code ?? '');
  const { tick, lines } = reconciler(system);
  expect(await tick()).toEqual({ drifting: 1, repaired: 0 });
  expect(lines.map((l) => l.msg)).toEqual(['Redis and the database disagree']);
  expect((await system.api.info(id)).body.data).toMatchObject({ issued: 3, currentStock: 0 });
});

test('repairs running against a live drain and write-behind never sell a unit twice', async () => {
  system = await startSystem({ DRAIN_INTERVAL_MS: '50' });
  // 40 shoppers a second: the drain runs for seconds while repairs keep coming.
  const id = (await system.api.createPromotion({ name: 'race', totalStock: 300, batchSize: 2 }))
    .body.data.id;
  await joinAll(system, id, shoppers(900));
  const { tick } = reconciler(system);
  const drain = { running: true };
  let ticks = 0;
  let cancelled = 0;
  const repairing = (async () => {
    while (drain.running) {
      // Drift the database proves, injected while decisions flow: a unit whose return was lost.
      const issued = await system
        .db('coupons')
        .where({ promotion_id: id, state: 'ISSUED' })
        .first<{ code: string } | undefined>();
      // Only while plenty still wait, so every returned unit has a buyer.
      const waiting = Number((await system.api.info(id)).body.data.queueSize);
      if (issued && waiting > 200) {
        await cancelWithoutReturn(system, issued.code);
        cancelled++;
      }
      await tick();
      ticks++;
    }
  })();
  await waitUntilSettled(system, id, 60000);
  drain.running = false;
  await repairing;
  // The loop's last repair may have returned a unit just now: the standby line
  // takes it on a next tick, and the write-behind records it. Wait until Redis and
  // the database tell the same story, with no unit left on its way to the standby
  // line (else the next tick changes the story after it was read).
  const isHolding = (r: { state: string }) => r.state === 'ISSUED' || r.state === 'USED';
  const { rows, info } = await waitFor(
    async () => ({
      rows: await couponRows(system, id),
      info: (await system.api.info(id)).body.data,
    }),
    ({ rows: found, info: now }) =>
      now.pendingPersist === 0 &&
      now.issued === found.filter(isHolding).length &&
      (now.currentStock === 0 || now.standbyLine === 0),
    { what: 'Redis and the database to agree after the last repair', timeoutMs: 30000 },
  );
  const holding = rows.filter(isHolding);
  expect(ticks).toBeGreaterThan(3);
  expect(cancelled).toBeGreaterThanOrEqual(3);
  // Never a unit sold twice. A unit repaired back after the sold-out sweep goes to
  // the first shopper on the standby line; with nobody left there it stays in stock.
  expect(holding.length).toBeLessThanOrEqual(300);
  expect(holding.length).toBeGreaterThanOrEqual(299);
  expect(rows).toHaveLength(holding.length + cancelled);
  expect(new Set(rows.map((r) => r.user_id)).size).toBe(rows.length);
  expect(info).toMatchObject({ issued: holding.length, currentStock: 300 - holding.length });
  expect((await system.api.consistency(id)).body.data).toMatchObject({ clean: true });
});
