// The processes as an operator runs them: start-up errors, clean shutdown, kill -9.
import { randomBytes } from 'node:crypto';
import { adminToken, deletePrefix, newRedis, redisUrl, uniquePrefix } from './helpers/env';
import { spawnEntry, waitForOutput, type Child } from './helpers/processes';
import { WaitingRoom } from '../core/waitingRoom';
import { waitFor } from './helpers/wait';

jest.setTimeout(90000);
const redis = newRedis();
afterAll(() => redis.quit());

const baseEnv = (prefix: string) => ({
  REDIS_URL: redisUrl,
  REDIS_KEY_PREFIX: prefix,
  ADMIN_TOKEN: adminToken,
  PORT: '0',
  LOG_LEVEL: 'info',
});

test('Redis unreachable at start: one line saying where and how to start one, exit 1', async () => {
  const child = spawnEntry('server/main.ts', {
    ...baseEnv(uniquePrefix()),
    REDIS_URL: 'redis://127.0.0.1:1',
  });
  const { code } = await child.exited;
  expect(code).toBe(1);
  const lines = child.stderr().trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/Cannot reach Redis at redis:\/\/127\.0\.0\.1:1 .*redis-server/);
  expect(child.stderr()).not.toMatch(/\n\s+at /);
});

test.each([
  ['PORT', { PORT: 'eighty' }],
  ['DRAIN_BATCH_SIZE', { DRAIN_BATCH_SIZE: '0' }],
  ['REDIS_URL', { REDIS_URL: 'localhost:6379' }],
  ['ADMIN_TOKEN', { NODE_ENV: 'production', ADMIN_TOKEN: '' }],
])('a bad %s stops the worker with a message naming it', async (name, env) => {
  const child = spawnEntry('worker/main.ts', { ...baseEnv(uniquePrefix()), ...env });
  const { code } = await child.exited;
  expect(code).toBe(1);
  expect(child.stderr()).toContain(`${name}:`);
  expect(child.stderr()).not.toMatch(/\n\s+at /);
});

test('SIGTERM stops the all-in-one process cleanly with exit 0', async () => {
  const prefix = uniquePrefix();
  const child = spawnEntry('main.ts', baseEnv(prefix));
  await waitForOutput(child, 'server listening');
  child.proc.kill('SIGTERM');
  const { code } = await child.exited;
  expect(code).toBe(0);
  expect(child.stdout()).toContain('worker stopped');
  await deletePrefix(redis, prefix);
});

test('a worker killed with kill -9 mid-drain and restarted: every shopper decided exactly once, in join order', async () => {
  const prefix = uniquePrefix();
  const room = new WaitingRoom(redis, prefix, () => randomBytes(5).toString('hex'));
  const stock = 3000;
  const shoppers = 6000;
  await room.setStock(1, stock, { batchSize: 1500, intervalMs: 10 });
  await Promise.all(Array.from({ length: shoppers }, (_, i) => room.join(1, `k${i + 1}`)));
  const env = baseEnv(prefix);

  let caughtMidBatch = 0;
  let worker: Child | undefined;
  for (let kill = 0; kill < 3; kill++) {
    worker = spawnEntry('worker/main.ts', env);
    await waitForOutput(worker, 'worker started');
    const servedBefore = (await room.info(1))?.served ?? 0;
    await waitFor(
      () => room.info(1),
      (info) => (info?.served ?? 0) > servedBefore || info?.queueSize === 0,
      { what: 'the worker to claim a batch' },
    );
    worker.proc.kill('SIGKILL');
    await worker.exited;
    if (((await room.info(1))?.processingCount ?? 0) > 0) caughtMidBatch++;
  }

  worker = spawnEntry('worker/main.ts', env);
  await waitFor(
    () => room.info(1),
    (info) => info?.queueSize === 0 && info.processingCount === 0,
    { what: 'the restarted worker to finish', timeoutMs: 60000 },
  );
  worker.proc.kill('SIGTERM');
  await worker.exited;

  const records = await redis.hgetall(room.keys(1).users);
  const values = Object.values(records);
  const completed = values.filter((v) => v.startsWith('C:'));
  expect(completed).toHaveLength(stock);
  expect(values.filter((v) => v.startsWith('F:'))).toHaveLength(shoppers - stock);
  const winningTickets = completed.map((v) => Number(v.split(':')[1])).sort((a, b) => a - b);
  expect(winningTickets).toEqual(Array.from({ length: stock }, (_, i) => i + 1));
  // Exactly once: one decision-log entry per coupon, no shopper twice.
  const log = await redis.xrange(room.keys(1).decisions, '-', '+');
  expect(log).toHaveLength(stock);
  expect(new Set(log.map(([, fields]) => fields[1])).size).toBe(stock);
  expect((await room.info(1))?.issued).toBe(stock);
  console.log(`kill -9 landed between claim and issue ${caughtMidBatch} of 3 times`);
  await deletePrefix(redis, prefix);
});
