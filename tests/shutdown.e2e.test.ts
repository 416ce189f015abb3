// Graceful shutdown of the real worker process: SIGTERM mid-drain finishes the
// running tick, loses nobody and exits 0; a stop that hangs is cut off by
// SHUTDOWN_TIMEOUT_MS.
import type { ChildProcess } from 'node:child_process';
import { adminToken, newRedis, sharedRedisEnv, testDatabaseUrl, uniquePrefix } from './helpers/env';
import { openTestServices } from './helpers/services';
import { spawnEntry, waitForOutput } from './helpers/processes';
import { freePort, startRedis, stopRedis } from './helpers/redisServer';
import { waitFor } from './helpers/wait';

jest.setTimeout(90000);
const redis = newRedis();
let ownRedis: ChildProcess | undefined;
afterAll(async () => {
  await stopRedis(ownRedis);
  await redis.quit();
});

const shutdownTimeoutMs = 10000;
const env = (prefix: string, url?: string) => ({
  ...(url ? { REDIS_URL: url } : sharedRedisEnv()),
  DATABASE_URL: testDatabaseUrl(prefix),
  REDIS_KEY_PREFIX: prefix,
  ADMIN_TOKEN: adminToken,
  LOG_LEVEL: 'info',
  SHUTDOWN_TIMEOUT_MS: String(shutdownTimeoutMs),
});

function countByStatus(records: Record<string, string>) {
  const counts = { W: 0, P: 0, C: 0, F: 0 };
  for (const value of Object.values(records)) counts[value.charAt(0) as keyof typeof counts]++;
  return counts;
}

test('SIGTERM during a drain: the running tick finishes, nobody is lost, exit 0 within the bound', async () => {
  const prefix = uniquePrefix();
  const services = await openTestServices(env(prefix));
  const { room } = services;
  // Stock for most, in batches of 500: the drain takes a few dozen ticks.
  const stock = 10000;
  const shoppers = 12000;
  expect(await services.promotion(stock, 500, 10)).toBe(1);
  for (let i = 0; i < shoppers; i += 1000) {
    await Promise.all(Array.from({ length: 1000 }, (_, j) => room.join(1, `s${i + j + 1}`)));
  }

  const worker = spawnEntry('worker/main.ts', env(prefix));
  await waitForOutput(worker, 'worker started');
  await waitFor(
    () => room.info(1),
    (info) => (info?.served ?? 0) > 0,
    { what: 'the drain to start', intervalMs: 2 },
  );
  const signalledAt = Date.now();
  worker.proc.kill('SIGTERM');
  const { code } = await worker.exited;
  const tookMs = Date.now() - signalledAt;
  expect(code).toBe(0);
  expect(tookMs).toBeLessThan(shutdownTimeoutMs);
  expect(worker.stdout()).toContain('worker stopped');

  // Nobody is stranded in PROCESSING, and everyone is accounted for.
  const afterStop = await room.info(1);
  expect(afterStop?.processingCount).toBe(0);
  const counts = countByStatus(await redis.hgetall(room.keys(1).users));
  expect(counts.P).toBe(0);
  expect(counts.W + counts.C + counts.F).toBe(shoppers);
  expect(counts.W).toBe(afterStop?.queueSize);
  expect(counts.W).toBeGreaterThan(0); // the signal did land mid-sale

  // A new worker picks up where it stopped: exactly `stock` winners, tickets 1..stock.
  const next = spawnEntry('worker/main.ts', env(prefix));
  await waitFor(
    () => room.info(1),
    (info) => info?.queueSize === 0 && info.processingCount === 0,
    { what: 'the second worker to finish', timeoutMs: 60000 },
  );
  next.proc.kill('SIGTERM');
  expect((await next.exited).code).toBe(0);
  const records = await redis.hgetall(room.keys(1).users);
  const winners = Object.values(records)
    .filter((v) => v.startsWith('C:'))
    .map((v) => Number(v.split(':')[1]))
    .sort((a, b) => a - b);
  expect(winners).toEqual(Array.from({ length: stock }, (_, i) => i + 1));
  expect(countByStatus(records).F).toBe(shoppers - stock);
  console.log(`SIGTERM after ${afterStop ? afterStop.served : 0} served; stopped in ${tookMs} ms`);
  await services.cleanUp();
});

test('a stop that hangs (Redis frozen) is cut off after SHUTDOWN_TIMEOUT_MS with exit 1', async () => {
  const port = await freePort();
  ownRedis = await startRedis(port);
  const worker = spawnEntry('worker/main.ts', {
    ...env(uniquePrefix(), `redis://127.0.0.1:${port}`),
    SHUTDOWN_TIMEOUT_MS: '1500',
  });
  await waitForOutput(worker, 'worker started');
  ownRedis.kill('SIGSTOP'); // connected but never answering: closing cannot finish
  const signalledAt = Date.now();
  worker.proc.kill('SIGTERM');
  const { code } = await worker.exited;
  const tookMs = Date.now() - signalledAt;
  expect(code).toBe(1);
  expect(tookMs).toBeGreaterThanOrEqual(1400);
  expect(tookMs).toBeLessThan(6000);
  expect(worker.stderr()).toMatch(/still stopping after 1500 ms \(SHUTDOWN_TIMEOUT_MS\)/);
});
