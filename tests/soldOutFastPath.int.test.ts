// The sold-out fast path through HTTP: refusals stay correct, restocks reopen joins.
import { startServer } from '../server/main';
import { api } from './helpers/api';
import { snapshot } from './helpers/env';
import { waitUntilSettled } from './helpers/sale';
import { startSystem, type TestSystem } from './helpers/system';
import { inParallel, waitFor } from './helpers/wait';

const windowMs = 500;
let system: TestSystem;
afterEach(() => system.stop());

/**
 * Sold out with a winner and a loser. No standby line: a unit that comes back
 * (a restock) is for whoever joins next, which is what the fast path must let through.
 */
async function soldOutWithWinner(s: TestSystem, promotionId: number) {
  await s.api.initStock(promotionId, 1);
  const { version } = (
    await s.api.call<{ version: number }>('GET', `/api/promotions/${promotionId}`, { admin: true })
  ).body.data;
  const patched = await s.api.call('PATCH', `/api/promotions/${promotionId}`, {
    admin: true,
    body: { version, standby: false },
  });
  expect(patched.status).toBe(200);
  expect((await s.api.join(promotionId, 'winner')).status).toBe(200);
  expect((await s.api.join(promotionId, 'loser')).status).toBe(200);
  await s.startWorker(); // only now, so both are queued before the unit goes
  await waitFor(
    () => s.api.status(promotionId, 'loser').then((r) => r.body.data.status),
    (status) => status === 'FAILED',
    { what: 'the drain to decide both shoppers' },
  );
  await waitUntilSettled(s, promotionId); // the coupon is in the database: Redis stops changing
}

test('when the sale is sold out, then new shoppers get 409 SOLD_OUT, the queue is unchanged, and the winner still hears of their coupon', async () => {
  system = await startSystem({ SOLD_OUT_CACHE_MS: String(windowMs) }, { withWorker: false });
  await soldOutWithWinner(system, 1);
  const before = await snapshot(system.redis, system.config.keyPrefix);

  const late = await inParallel(
    Array.from({ length: 200 }, (_, i) => () => system.api.join(1, `late-${i}`)),
    20,
  );
  expect(late.every((r) => r.status === 409 && r.body.code === 'SOLD_OUT')).toBe(true);

  const winner = await system.api.join(1, 'winner');
  expect(winner.status).toBe(409);
  expect(winner.body).toMatchObject({
    code: 'ALREADY_PROCESSED',
    data: { status: 'COMPLETED', ticket: 1 },
  });
  const loser = await system.api.join(1, 'loser');
  expect(loser.body).toMatchObject({ code: 'ALREADY_PROCESSED', data: { status: 'FAILED' } });
  expect(await snapshot(system.redis, system.config.keyPrefix)).toEqual(before);
});

test('a restock through another server process reopens joins here within the window', async () => {
  system = await startSystem({ SOLD_OUT_CACHE_MS: String(windowMs) }, { withWorker: false });
  await soldOutWithWinner(system, 2);
  for (let i = 0; i < 20; i++) expect((await system.api.join(2, `late-${i}`)).status).toBe(409);

  const other = await startServer(system.config);
  try {
    expect((await api(other.port).initStock(2, 2)).status).toBe(200);
    const restockedAt = Date.now();
    const joined = await waitFor(
      () => system.api.join(2, 'after-restock'),
      (r) => r.status === 200,
      { what: 'a join on the first server to succeed', timeoutMs: 5000, intervalMs: 10 },
    );
    expect(joined.body.data).toMatchObject({ status: 'WAITING', ticket: 3 });
    expect(Date.now() - restockedAt).toBeLessThan(windowMs + 400);
  } finally {
    await other.stop();
  }
});

test('a restock through the same server reopens joins at once', async () => {
  system = await startSystem({ SOLD_OUT_CACHE_MS: '60000' }, { withWorker: false });
  await soldOutWithWinner(system, 3);
  for (let i = 0; i < 20; i++) expect((await system.api.join(3, `late-${i}`)).status).toBe(409);
  await system.api.initStock(3, 2);
  const joined = await system.api.join(3, 'right-after');
  expect(joined.status).toBe(200);
});
