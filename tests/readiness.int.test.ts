// /readyz follows Redis: 503 while it is unreachable, 200 again once it is back;
// meanwhile joins get a quick 503 with a message instead of hanging. Uses its own
// redis-server on a free port, so the shared Redis other tests use stays up.
import type { ChildProcess } from 'node:child_process';
import { freePort, startRedis, stopRedis } from './helpers/redisServer';
import { startSystem, type TestSystem } from './helpers/system';
import { waitFor } from './helpers/wait';

jest.setTimeout(60000);

let redisProc: ChildProcess | undefined;
let system: TestSystem | undefined;
afterAll(async () => {
  await system?.stop();
  await stopRedis(redisProc);
});

test('Redis down: /readyz 503 and joins refused at once with 503; Redis back: 200 and joins work', async () => {
  const port = await freePort();
  redisProc = await startRedis(port);
  system = await startSystem({ REDIS_URL: `redis://127.0.0.1:${port}` }, { withWorker: false });
  const { api } = system;
  expect((await api.call('GET', '/readyz')).status).toBe(200);
  await api.initStock(1, 10);
  expect((await api.join(1, 'before')).status).toBe(200);

  await stopRedis(redisProc);
  const down = await waitFor(
    () => api.call('GET', '/readyz'),
    (r) => r.status === 503,
    { what: '/readyz to turn 503' },
  );
  expect(down.body).toMatchObject({
    success: false,
    code: 'UNAVAILABLE',
    data: { ready: false, checks: { redis: expect.not.stringMatching(/^ok$/) as unknown } },
  });
  expect((await api.call('GET', '/healthz')).status).toBe(200); // alive, just not ready

  const started = Date.now();
  const refused = await api.join(1, 'during');
  expect(Date.now() - started).toBeLessThan(1000);
  expect(refused.status).toBe(503);
  expect(refused.body).toMatchObject({ success: false, code: 'UNAVAILABLE' });
  expect(refused.body.message).toMatch(/temporarily unavailable/);

  redisProc = await startRedis(port);
  await waitFor(
    () => api.call('GET', '/readyz'),
    (r) => r.status === 200,
    { what: '/readyz to turn 200 again', timeoutMs: 20000 },
  );
  // The throwaway Redis kept nothing; set the sale up again and join.
  expect((await api.initStock(1, 10)).status).toBe(200);
  expect((await api.join(1, 'after')).status).toBe(200);
});
