// The figure history on the real server, worker, Redis and MariaDB: what a tick
// leaves behind for the console's charts, who may read it, and its bound.
import { FigureHistory, historyMaxSamples, historyWindowMs } from '../core/metrics/figureHistory';
import { promotionKeys } from '../core/room/keys';
import type { FigureSample } from '../core/model/figures';
import type { PromotionInfo } from '../core/room/waitingRoom';
import { joinAll, shoppers } from './helpers/sale';
import { startSystem, type TestSystem } from './helpers/system';
import { waitFor } from './helpers/wait';

jest.setTimeout(60_000);

let system: TestSystem;
beforeAll(async () => {
  system = await startSystem();
});
afterAll(() => system.stop());

interface History {
  windowMs: number;
  maxSamples: number;
  samples: FigureSample[];
}

test('after a sale the history holds the figures the console charts, oldest first', async () => {
  const created = await system.api.call<{ id: number }>('POST', '/api/promotions', {
    admin: true,
    body: { name: 'history', totalStock: 3, batchSize: 1, intervalMs: 100 },
  });
  const id = created.body.data.id;
  await joinAll(system, id, shoppers(5, 'h'));
  const path = `/api/promotions/${id}/history`;
  const done = await waitFor(
    () => system.api.call<History>('GET', path, { admin: true }),
    (r) => r.body.data.samples.at(-1)?.stock === 0 && r.body.data.samples.at(-1)?.queueSize === 0,
    { what: 'the sold-out figures in the history' },
  );
  const { samples, windowMs, maxSamples } = done.body.data;
  expect({ windowMs, maxSamples }).toEqual({ windowMs: 3_600_000, maxSamples: 3600 });
  const last = samples.at(-1);
  expect(last).toMatchObject({ joined: 5, served: 5, issued: 3, held: 0, stock: 0 });
  // Every decision is counted once, whichever sample it landed in.
  const sum = (f: 'admitted' | 'failed') => samples.reduce((n, s) => n + s[f], 0);
  expect({ admitted: sum('admitted'), failed: sum('failed') }).toEqual({ admitted: 3, failed: 2 });
  const times = samples.map((s) => s.at);
  expect(times).toEqual([...times].sort((a, b) => a - b));
  // At most one sample a second.
  for (let i = 1; i < times.length; i++) {
    expect((times[i] ?? 0) - (times[i - 1] ?? 0)).toBeGreaterThanOrEqual(1000);
  }

  // A poll asks only for what is new.
  const newer = await system.api.call<History>('GET', `${path}?since=${last?.at ?? 0}`, {
    admin: true,
  });
  expect(newer.body.data.samples.every((s) => s.at > (last?.at ?? 0))).toBe(true);
});

test('the history is for the admin only, and an unknown promotion is a 404', async () => {
  const anon = await system.api.call('GET', '/api/promotions/1/history');
  expect(anon.status).toBe(401);
  const unknown = await system.api.call('GET', '/api/promotions/999999/history', { admin: true });
  expect(unknown.status).toBe(404);
});

test('the history is bounded: at most an hour of samples, the oldest dropped first', async () => {
  const writer = new FigureHistory(system.redis, system.config.keyPrefix);
  const info = { joined: 0, served: 0, queueSize: 0, issued: 0, held: 0, currentStock: 1 };
  const start = Date.now() - 2 * historyWindowMs;
  const total = historyMaxSamples + 200;
  // Two hours of samples a second apart, each a change the writer keeps.
  for (let i = 0; i < total; i++) {
    const figures = { ...info, joined: i } as unknown as PromotionInfo;
    await writer.record(
      { promotionId: 777_001, decided: [], expired: [] },
      figures,
      start + i * 1000,
    );
  }
  const key = promotionKeys(system.config.keyPrefix, 777_001).history;
  expect(await system.redis.llen(key)).toBe(historyMaxSamples);
  expect(await system.redis.pttl(key)).toBeLessThanOrEqual(historyWindowMs);
  // Read back: only the last hour, and the newest are the ones kept.
  const now = start + (total - 1) * 1000;
  const read = await writer.read(777_001, now);
  expect(read.length).toBeLessThanOrEqual(historyMaxSamples);
  expect(read.at(-1)?.joined).toBe(total - 1);
  expect(read[0]?.at).toBeGreaterThanOrEqual(now - historyWindowMs);
});
