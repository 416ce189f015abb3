// Hold mode's events on real Redis and MariaDB: each hold path (held -> confirmed,
// held -> released, held -> expired) writes exactly its events, once, by id, in
// order; a confirm that lost to the deadline writes no coupon.confirmed; a hold
// change persisted again (a crash before the log's ack) writes nothing twice.
import { eventsOf, type DomainEvent } from '../core/db/eventsRepo';
import { persistPending } from '../core/writeBehind/persistence';
import { waitUntilSettled } from './helpers/sale';
import { startSystem, type TestSystem } from './helpers/system';
import { waitFor } from './helpers/wait';

jest.setTimeout(60000);
let system: TestSystem;
beforeEach(async () => {
  system = await startSystem({ DRAIN_INTERVAL_MS: '20' });
});
afterEach(() => system.stop());

const couponEventsOf = (events: DomainEvent[], userId: string) =>
  events.filter((e) => e.type.startsWith('coupon.') && e.data.userId === userId);

async function statusOf(promotionId: number, userId: string) {
  return (await system.api.status(promotionId, userId)).body.data;
}

test('held -> confirmed, held -> released, held -> expired: exactly their events, once each, in order, with code, userId and ticket', async () => {
  const created = await system.api.createPromotion({
    name: 'hold events',
    totalStock: 3,
    mode: 'hold',
    holdSeconds: 2,
  });
  const id = created.body.data.id;
  const tokens = new Map<string, unknown>();
  for (const user of ['h1', 'h2', 'h3']) {
    tokens.set(user, (await system.api.join(id, user)).body.data.queueToken);
  }
  for (const user of ['h1', 'h2', 'h3']) {
    await waitFor(
      () => statusOf(id, user),
      (s) => s.status === 'HELD',
      { what: `${user} HELD` },
    );
  }
  const confirmed = await system.api.confirm(tokens.get('h1'));
  expect(confirmed.status).toBe(200);
  const code = String(confirmed.body.data.couponCode);
  expect((await system.api.confirm(tokens.get('h1'))).status).toBe(200); // a retry changes nothing
  expect((await system.api.release(tokens.get('h2'))).body.data.status).toBe('RELEASED');
  // A retried release answers the same and changes nothing.
  expect((await system.api.release(tokens.get('h2'))).body.data.status).toBe('RELEASED');
  // Nobody confirms h3: the deadline passes; a confirm then loses and confirms nothing.
  await waitFor(
    () => statusOf(id, 'h3'),
    (s) => s.status === 'EXPIRED',
    { what: 'h3 EXPIRED', timeoutMs: 10000 },
  );
  expect((await system.api.confirm(tokens.get('h3'))).body.code).toBe('HOLD_EXPIRED');
  await waitUntilSettled(system, id);

  const events = await eventsOf(system.db, id);
  const allIds = events.map((e) => e.id);
  expect(new Set(allIds).size).toBe(allIds.length);

  const h1 = couponEventsOf(events, 'h1');
  expect(h1.map((e) => e.id)).toEqual([
    `coupon.held:${code}`,
    `coupon.confirmed:${code}`,
    `coupon.issued:${code}`,
  ]);
  for (const e of h1) expect(e.data).toEqual({ code, userId: 'h1', ticket: 1 });

  const h2 = couponEventsOf(events, 'h2');
  expect(h2.map((e) => e.type)).toEqual(['coupon.held', 'coupon.released']);
  const h2Code = String(h2[0]?.data.code);
  expect(h2Code).toMatch(new RegExp(`^${id}-2-`));
  expect(h2.map((e) => e.id)).toEqual([`coupon.held:${h2Code}`, `coupon.released:${h2Code}`]);
  expect(h2[1]?.data).toEqual({ code: h2Code, userId: 'h2', ticket: 2 });

  const h3 = couponEventsOf(events, 'h3');
  expect(h3.map((e) => e.type)).toEqual(['coupon.held', 'coupon.expired']);
  const h3Code = String(h3[0]?.data.code);
  expect(h3.map((e) => e.id)).toEqual([`coupon.held:${h3Code}`, `coupon.expired:${h3Code}`]);
  expect(h3[1]?.data).toEqual({ code: h3Code, userId: 'h3', ticket: 3 });
  // occurredAt is when Redis made the change: held before the end of the hold.
  for (const path of [h1, h2, h3]) {
    const times = path.map((e) => Date.parse(e.occurredAt));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  }

  // A worker killed after writing the events but before acking the log: the same
  // entry comes round again and the outbox keeps one event per id.
  const { holdLog } = system.services.room.keys(id);
  await system.redis.xadd(holdLog, '*', 'k', 'held', 'u', 'h1', 't', '1', 'c', code);
  await system.redis.xadd(holdLog, '*', 'k', 'confirmed', 'u', 'h1', 't', '1', 'c', code);
  const again = await persistPending(
    system.db,
    system.services.log,
    system.services.deadLetters,
    id,
  );
  expect(again.holdEvents).toBe(2);
  expect(await system.redis.xlen(holdLog)).toBe(0);
  expect((await eventsOf(system.db, id)).map((e) => e.id)).toEqual(allIds);
});

test('the relay carries hold events to the stream like any other', async () => {
  const id = (
    await system.api.createPromotion({
      name: 'stream',
      totalStock: 1,
      mode: 'hold',
      holdSeconds: 30,
    })
  ).body.data.id;
  const token = (await system.api.join(id, 'r1')).body.data.queueToken;
  await waitFor(
    () => statusOf(id, 'r1'),
    (s) => s.status === 'HELD',
    { what: 'r1 HELD' },
  );
  expect((await system.api.release(token)).status).toBe(200);
  const streamKey = `${system.config.keyPrefix}:events`;
  const types = await waitFor(
    async () =>
      (await system.redis.xrange(streamKey, '-', '+')).map(([, fields]) => fields[3] ?? ''),
    (seen) => seen.includes('coupon.released'),
    { what: 'coupon.released on the stream' },
  );
  expect(types.filter((t) => t.startsWith('coupon.'))).toEqual(['coupon.held', 'coupon.released']);
});
