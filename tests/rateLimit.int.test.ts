// Rate limits: per IP and per shopper on join and status, admin separately;
// a refusal is a 429 with Retry-After that changes nothing; off means off.
import { startServer, type RunningServer } from '../server/main';
import { batchFor } from '../server/http/rateLimit';
import { api } from './helpers/api';
import { keysOf } from './helpers/env';
import { startSystem, type TestSystem } from './helpers/system';
import { inParallel } from './helpers/wait';

jest.setTimeout(60000);

let system: TestSystem;
const extraServers: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(extraServers.splice(0).map((s) => s.stop()));
  await system.stop();
});

const limited = (overrides: Record<string, string>) =>
  startSystem({ RATE_LIMIT_ENABLED: 'true', ...overrides }, { withWorker: false });

test('with RATE_LIMIT_JOIN_PER_IP=100 the 101st join from one IP gets 429 with Retry-After, and the queue is unchanged', async () => {
  system = await limited({ RATE_LIMIT_JOIN_PER_IP: '100', RATE_LIMIT_WINDOW_SECONDS: '60' });
  await system.api.initStock(1, 1000);
  for (let i = 1; i <= 100; i++) expect((await system.api.join(1, `ip${i}`)).status).toBe(200);

  const refused = await system.api.join(1, 'ip101');
  expect(refused.status).toBe(429);
  expect(refused.body).toMatchObject({ success: false, code: 'RATE_LIMITED' });
  expect(refused.body.message).toMatch(/join-ip/);
  const retryAfter = Number(refused.headers.get('retry-after'));
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);

  expect((await system.api.info(1)).body.data).toMatchObject({ queueSize: 100, joined: 100 });
  expect((await system.api.status(1, 'ip101')).body.data.status).toBe('NOT_IN_QUEUE');
  // Status and admin calls have limiters of their own.
  expect((await system.api.status(1, 'ip1')).status).toBe(200);
  // Shoppers who joined once cost Redis no limiter write; the busy IP is counted there.
  const keys = await keysOf(system.redis, system.config.keyPrefix);
  expect(keys.filter((k) => k.includes(':rl:join-user:'))).toEqual([]);
  expect(keys.filter((k) => k.includes(':rl:join-ip:'))).toHaveLength(1);
});

test('per shopper: the 4th join by one shopper within the window is refused; another shopper is not', async () => {
  system = await limited({ RATE_LIMIT_JOIN_PER_USER: '3' });
  await system.api.initStock(2, 10);
  for (let i = 0; i < 3; i++) expect((await system.api.join(2, 'eager')).status).toBe(200);
  const fourth = await system.api.join(2, 'eager');
  expect(fourth.status).toBe(429);
  expect(fourth.body.message).toMatch(/join-user/);
  expect((await system.api.join(2, 'calm')).status).toBe(200);
  expect((await system.api.info(2)).body.data).toMatchObject({ queueSize: 2 });
});

test('status per IP and per shopper, and admin per IP, are limited separately', async () => {
  system = await limited({
    RATE_LIMIT_STATUS_PER_IP: '6',
    RATE_LIMIT_STATUS_PER_USER: '2',
    RATE_LIMIT_ADMIN_PER_IP: '3',
  });
  await system.api.initStock(3, 10);
  expect((await system.api.status(3, 'a')).status).toBe(200);
  expect((await system.api.status(3, 'a')).status).toBe(200);
  expect((await system.api.status(3, 'a')).body.message).toMatch(/status-user/);
  for (const u of ['b', 'c', 'd']) expect((await system.api.status(3, u)).status).toBe(200);
  // 'a' x3 + b, c, d = 6 from this IP: the 7th is over the per-IP limit.
  expect((await system.api.status(3, 'e')).body.message).toMatch(/status-ip/);

  expect((await system.api.info(3)).status).toBe(200); // admin call 2 (initStock was 1)
  expect((await system.api.info(3)).status).toBe(200);
  const admin = await system.api.info(3);
  expect(admin.status).toBe(429);
  expect(admin.body.message).toMatch(/admin-ip/);
  expect((await system.api.join(3, 'still-fine')).status).toBe(200);
});

test('two servers share the count through Redis: one IP gets at most the limit plus a batch per server across both', async () => {
  system = await limited({ RATE_LIMIT_JOIN_PER_IP: '100' });
  const second = await startServer(system.config);
  extraServers.push(second);
  const apis = [system.api, api(second.port)];
  await system.api.initStock(4, 1000);
  const statuses: number[] = [];
  for (let i = 0; i < 200; i++) {
    statuses.push((await apis[i % 2]?.join(4, `two${i}`))?.status ?? 0);
  }
  const accepted = statuses.filter((s) => s === 200).length;
  expect(accepted).toBeGreaterThanOrEqual(100);
  // Each server may be up to one batch (2 hits for a limit of 100) behind in Redis.
  expect(accepted).toBeLessThanOrEqual(100 + 2 * batchFor(100));
  expect(statuses.slice(-10).every((s) => s === 429)).toBe(true);
  expect((await system.api.info(4)).body.data.queueSize).toBe(accepted);
});

test('with RATE_LIMIT_ENABLED=false, 10,000 joins from one IP all pass', async () => {
  system = await startSystem({ RATE_LIMIT_ENABLED: 'false' }, { withWorker: false });
  await system.api.initStock(5, 10);
  const results = await inParallel(
    Array.from(
      { length: 10_000 },
      (_, i) => async () => (await system.api.join(5, `many${i}`)).status,
    ),
    100,
  );
  expect(results.filter((s) => s !== 200)).toEqual([]);
  expect((await system.api.info(5)).body.data).toMatchObject({ queueSize: 10_000 });
});
