// Domain events through the transactional outbox, on real Redis and MariaDB:
// each lifecycle path writes exactly its events, with stable ids, and a change
// that rolled back writes none.
import { eventsOf } from '../core/db/eventsRepo';
import { persistPending } from '../core/writeBehind/persistence';
import { couponRows, joinAll, shoppers, waitUntilSettled } from './helpers/sale';
import { startSystem, type TestSystem } from './helpers/system';

jest.setTimeout(60000);
let system: TestSystem;
beforeEach(async () => {
  system = await startSystem({ DRAIN_INTERVAL_MS: '20' });
});
afterEach(() => system.stop());

const ids = async (promotionId: number) =>
  (await eventsOf(system.db, promotionId)).map((e) => e.id);

test('a sale, a use, a cancel, a revoke, pause, resume, close and delete: exactly their events, in order', async () => {
  const created = await system.api.createPromotion({ name: 'events', totalStock: 3 });
  const id = created.body.data.id;
  const stamp = Date.parse(String((created.body.data as { createdAt?: string }).createdAt));
  await joinAll(system, id, shoppers(3));
  await waitUntilSettled(system, id);
  const rows = (await couponRows(system, id)).sort((a, b) => a.user_id.localeCompare(b.user_id));
  const [a, b, c] = rows.map((r) => r.code) as [string, string, string];

  const issued = await eventsOf(system.db, id);
  expect(issued.map((e) => e.type)).toEqual([
    'promotion.opened',
    'coupon.issued',
    'coupon.issued',
    'coupon.issued',
    'promotion.sold_out',
  ]);
  expect(issued.find((e) => e.id === `coupon.issued:${a}`)?.data).toEqual({
    code: a,
    userId: 's1',
    ticket: 1,
  });

  expect((await system.api.coupon(a, 'use', { asShop: true })).status).toBe(200);
  expect((await system.api.coupon(b, 'cancel', { asShop: true })).status).toBe(200);
  expect((await system.api.coupon(c, 'revoke', { asShop: true })).status).toBe(200);
  // Refused changes (already used / cancelled) write nothing.
  expect((await system.api.coupon(a, 'cancel', { asShop: true })).status).toBe(409);
  expect((await system.api.coupon(b, 'use', { asShop: true })).status).toBe(409);
  for (const action of ['pause', 'resume', 'close'] as const) {
    const res = await system.api.call('POST', `/api/promotions/${id}/${action}`, { admin: true });
    expect(res.status).toBe(200);
  }
  // A refused state change (resume a closed promotion) writes nothing either.
  expect(
    (await system.api.call('POST', `/api/promotions/${id}/resume`, { admin: true })).status,
  ).toBe(409);
  const del = await system.api.call('DELETE', `/api/promotions/${id}?coupons=keep`, {
    admin: true,
  });
  expect(del.status).toBe(200);

  const p = `${id}:${stamp}`;
  expect(await ids(id)).toEqual([
    `promotion.opened:${p}:1`,
    ...issued.slice(1, 4).map((e) => e.id),
    `promotion.sold_out:${p}:3`,
    `coupon.used:${a}`,
    `coupon.cancelled:${b}`,
    `coupon.revoked:${c}`,
    `promotion.paused:${p}:2`,
    `promotion.resumed:${p}:3`,
    `promotion.closed:${p}:4`,
    `promotion.deleted:${p}:5`,
  ]);
});

test('a unit that comes back and sells again: a second sold_out with its own id; a replayed persist writes no event twice', async () => {
  const id = (await system.api.createPromotion({ name: 'again', totalStock: 2 })).body.data.id;
  await joinAll(system, id, shoppers(2));
  await waitUntilSettled(system, id);
  const [first] = await couponRows(system, id);
  expect((await system.api.coupon(first?.code ?? '', 'cancel', { asShop: true })).status).toBe(200);
  await joinAll(system, id, ['late']);
  await waitUntilSettled(system, id);

  const soldOut = (await eventsOf(system.db, id)).filter((e) => e.type === 'promotion.sold_out');
  expect(soldOut.map((e) => e.data)).toEqual([
    { totalStock: 2, issued: 2 },
    { totalStock: 2, issued: 3 },
  ]);
  expect(new Set(soldOut.map((e) => e.id)).size).toBe(2);
  // The write-behind replays a decision the database already holds: no second event.
  const decision = { promotionId: id, userId: 's2', ticket: 2, code: '', issuedAt: new Date() };
  decision.code = (await couponRows(system, id)).find((r) => r.user_id === 's2')?.code ?? '';
  await system.services.log.append(id, [decision]);
  const { services } = system;
  expect(await persistPending(services.db, services.log, services.deadLetters, id)).toMatchObject({
    persisted: 0,
    alreadyThere: 1,
  });
  const issuedEvents = (await eventsOf(system.db, id)).filter((e) => e.type === 'coupon.issued');
  expect(issuedEvents).toHaveLength(3);
});
