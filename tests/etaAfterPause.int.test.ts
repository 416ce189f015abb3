// The ETA a waiting shopper is told is right after a pause: on a steady drain
// (5 every 100 ms, real worker, real timing) paused ticks do not drag the
// measured rate down, so the wait told at resume is within 30% of the real one.
import { joinAll, shoppers } from './helpers/sale';
import { startSystem, type TestSystem } from './helpers/system';
import { waitFor } from './helpers/wait';

jest.setTimeout(60000);
let system: TestSystem;
afterEach(() => system.stop());

test('after a 2 s pause, a shopper 400 places back is told an ETA within 30% of the time until admitted', async () => {
  system = await startSystem({}, { withWorker: false });
  const created = await system.api.createPromotion({
    name: 'eta',
    totalStock: 10_000,
    batchSize: 5,
    intervalMs: 100,
  });
  const id = created.body.data.id;
  const crowd = shoppers(450, 'e');
  await joinAll(system, id, crowd);
  const served = async () => ((await system.api.info(id)).body.data as { served: number }).served;
  const status = async (u: string) => (await system.api.status(id, u)).body.data;

  await system.startWorker();
  await waitFor(served, (n) => n >= 50, { what: 'a second of steady drain' });
  await system.api.call('POST', `/api/promotions/${id}/pause`, { admin: true });
  // Paused: nobody is admitted for two seconds, while the worker keeps ticking.
  const pausedAt = await served();
  const pauseEnds = Date.now() + 2000;
  const during = await waitFor(
    async () => ({ now: Date.now(), served: await served() }),
    (p) => p.now >= pauseEnds || p.served !== pausedAt,
    { what: 'the pause to last two seconds' },
  );
  expect(during.served).toBe(pausedAt);
  await system.api.call('POST', `/api/promotions/${id}/resume`, { admin: true });

  const told = await status('e450');
  const resumedAt = Date.now();
  expect(told).toMatchObject({ status: 'WAITING', beyondStock: false });
  expect(told.position).toBeGreaterThan(350);
  const eta = told.etaSeconds ?? 0;
  await waitFor(
    () => status('e450'),
    (s) => s.status !== 'WAITING',
    { what: 'e450 to be admitted', timeoutMs: 30000 },
  );
  const actual = (Date.now() - resumedAt) / 1000;
  expect(Math.abs(eta - actual)).toBeLessThanOrEqual(0.3 * actual);
});
