// Webhooks and the events stream, on real Redis, MariaDB and a real HTTP receiver
// on 127.0.0.1: signed deliveries, retries with the same id, a receiver that comes
// back, dead letters an operator replays, and bad registrations refused.
import { createHmac } from 'node:crypto';
import { eventStreamKey } from '../core/room/keys';
import { startReceiver, type Delivery, type Receiver } from './helpers/receiver';
import { couponRows, joinAll, shoppers, waitUntilSettled } from './helpers/sale';
import { startSystem, type TestSystem } from './helpers/system';
import { waitFor } from './helpers/wait';

jest.setTimeout(60000);
let system: TestSystem;
let receiver: Receiver | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
  await system.stop();
});

const fast = {
  DRAIN_INTERVAL_MS: '20',
  EVENTS_RELAY_INTERVAL_MS: '50',
  WEBHOOK_BACKOFF_MS: '100',
  WEBHOOK_TIMEOUT_MS: '2000',
};

const signed = (secret: string, d: Delivery) =>
  d.signature === `sha256=${createHmac('sha256', secret).update(d.raw).digest('hex')}`;

async function register(url: string, events?: string[]) {
  const res = await system.api.call<{ id: number; secret: string; events: string[] }>(
    'POST',
    '/api/webhooks',
    { admin: true, body: { url, events } },
  );
  expect(res.status).toBe(201);
  return res.body.data;
}

/** A sale of `stock` units to as many shoppers; the coupon codes. */
async function sale(stock: number) {
  const id = (await system.api.createPromotion({ name: 'hooks', totalStock: stock })).body.data.id;
  await joinAll(system, id, shoppers(stock));
  await waitUntilSettled(system, id);
  return { id, codes: (await couponRows(system, id)).map((r) => r.code) };
}

const idsOf = (r: Receiver) => r.deliveries.map((d) => d.id);

test('bad registrations get a 400 naming the field and the valid names, and nothing is registered', async () => {
  system = await startSystem(fast, { withWorker: false });
  const cases = [
    [{ url: 'ftp://example.com/hook' }, /url must be an http:\/\/ or https:\/\/ URL/],
    [{ url: 'not a url' }, /url must be an http/],
    [
      { url: 'https://example.com/hook', events: ['coupon.issued', 'coupon.stolen'] },
      /events\.1 must be one of: coupon\.issued, coupon\.held, .*promotion\.deleted/,
    ],
    [{ url: 'https://example.com/hook', events: [] }, /events must name at least one/],
    [{ events: ['coupon.used'] }, /url /],
  ] as const;
  for (const [body, message] of cases) {
    const res = await system.api.call('POST', '/api/webhooks', { admin: true, body });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(message);
  }
  expect((await system.api.call('POST', '/api/webhooks', { body: cases[0][0] })).status).toBe(401);
  const list = await system.api.call<unknown[]>('GET', '/api/webhooks', { admin: true });
  expect(list.body.data).toEqual([]);
});

test('every event reaches the stream in order and a subscribed webhook, signed; GET hides the secret; DELETE stops deliveries', async () => {
  system = await startSystem(fast);
  receiver = await startReceiver();
  const hook = await register(receiver.url, ['coupon.issued', 'coupon.cancelled']);
  expect(hook.secret).toMatch(/^whsec_/);
  const { codes } = await sale(3);
  const code = codes[0] ?? '';
  await system.api.coupon(code, 'cancel', { asShop: true });
  const r = receiver;
  await waitFor(
    () => Promise.resolve(r.deliveries.length),
    (n) => n >= 4,
  );
  expect(new Set(idsOf(r))).toEqual(
    new Set([...codes.map((c) => `coupon.issued:${c}`), `coupon.cancelled:${code}`]),
  );
  expect(r.deliveries.every((d) => signed(hook.secret, d) && d.event.id === d.id)).toBe(true);

  // The stream has every event (the unsubscribed types too), a coupon's in its order.
  const stream = await waitFor(
    () => system.redis.xrange(eventStreamKey(system.config.keyPrefix), '-', '+'),
    (entries) => entries.length >= 6,
  );
  const streamIds = stream.map(([, fields]) => fields[1]);
  expect(streamIds.filter((x) => x?.startsWith('promotion.'))).toHaveLength(2); // opened, sold_out
  expect(streamIds.indexOf(`coupon.issued:${code}`)).toBeLessThan(
    streamIds.indexOf(`coupon.cancelled:${code}`),
  );

  const listed = await system.api.call<Record<string, unknown>[]>('GET', '/api/webhooks', {
    admin: true,
  });
  expect(listed.body.data).toHaveLength(1);
  expect(listed.body.data[0]).not.toHaveProperty('secret');
  expect(
    (await system.api.call('DELETE', `/api/webhooks/${hook.id}`, { admin: true })).status,
  ).toBe(200);
  expect(
    (await system.api.call('DELETE', `/api/webhooks/${hook.id}`, { admin: true })).status,
  ).toBe(404);
  await system.api.coupon(codes[1] ?? '', 'cancel', { asShop: true });
  await waitFor(
    () => system.redis.xlen(eventStreamKey(system.config.keyPrefix)),
    (n) => n >= 7,
  );
  expect(r.deliveries).toHaveLength(4);
});

test('a receiver answering 500 gets the same event again, same id, valid signature', async () => {
  system = await startSystem(fast);
  receiver = await startReceiver();
  const r = receiver;
  let refused = 0;
  r.answer = () => (refused++ < 2 ? 500 : 200);
  const hook = await register(r.url, ['promotion.opened']);
  await system.api.createPromotion({ name: 'retry', totalStock: 1 });
  await waitFor(
    () => Promise.resolve(r.deliveries.length),
    (n) => n >= 3,
  );
  const [first, second, third] = r.deliveries;
  expect(second?.id).toBe(first?.id);
  expect(third?.id).toBe(first?.id);
  expect(third?.raw).toBe(first?.raw);
  expect(r.deliveries.every((d) => signed(hook.secret, d))).toBe(true);
});

test('a receiver down for a while gets everything once it is back', async () => {
  system = await startSystem({ ...fast, WEBHOOK_BACKOFF_MS: '200' });
  const probe = await startReceiver();
  const port = probe.port;
  await probe.close(); // nothing listens there now: connections are refused
  await register(`http://127.0.0.1:${port}/hooks`, ['coupon.issued']);
  const { codes } = await sale(20);
  // Wait until deliveries have failed at least once (they sit delayed for a retry).
  await waitFor(
    () => system.redis.zcard(`{${system.config.keyPrefix}:bull}:webhooks:delayed`),
    (n) => n >= 1,
  );
  receiver = await startReceiver(port);
  const r = receiver;
  await waitFor(
    () => Promise.resolve(new Set(idsOf(r)).size),
    (n) => n >= 20,
    { timeoutMs: 30000 },
  );
  expect(new Set(idsOf(r))).toEqual(new Set(codes.map((c) => `coupon.issued:${c}`)));
  expect(r.deliveries).toHaveLength(20);
});

test('out of attempts: a dead letter the operator sees and replays; the receiver then gets it', async () => {
  system = await startSystem({ ...fast, WEBHOOK_ATTEMPTS: '2' });
  receiver = await startReceiver();
  const r = receiver;
  r.answer = () => 503;
  const hook = await register(r.url, ['promotion.opened']);
  await system.api.createPromotion({ name: 'dead', totalStock: 1 });
  const letters = await waitFor(
    () =>
      system.api
        .call<{ id: string; kind: string }[]>('GET', '/api/dead-letters', { admin: true })
        .then((res) => res.body.data),
    (list) => list.some((l) => l.kind === 'webhook'),
  );
  expect(r.deliveries).toHaveLength(2);
  const letter = letters.find((l) => l.kind === 'webhook');
  r.answer = () => 200;
  const replay = await system.api.call('POST', `/api/dead-letters/${letter?.id}/replay`, {
    admin: true,
  });
  expect(replay.status).toBe(200);
  await waitFor(
    () => Promise.resolve(r.deliveries.length),
    (n) => n >= 3,
  );
  expect(r.deliveries[2]?.id).toBe(r.deliveries[0]?.id);
  expect(signed(hook.secret, r.deliveries[2] as Delivery)).toBe(true);
  const after = await system.api.call<unknown[]>('GET', '/api/dead-letters', { admin: true });
  expect(after.body.data).toEqual([]);
});
