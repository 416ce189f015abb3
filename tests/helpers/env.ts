// Test isolation: every test file gets its own Redis key prefix, cleaned after.
import { randomBytes } from 'node:crypto';
import { Cluster, Redis } from 'ioredis';
import { loadConfig, type Config } from '../../core/platform/config';
import { bullPrefix } from '../../core/room/keys';
import type { RedisClient } from '../../core/platform/redis';

export const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
/**
 * Set by the cluster run's jest globalSetup (tests/helpers/clusterSetup.ts): every
 * test's shared Redis is then the local Redis Cluster. Tests that start a private
 * redis-server of their own (REDIS_URL override) stay on that single node.
 */
export const clusterNodes = process.env.TEST_REDIS_CLUSTER_NODES ?? '';
export const adminToken = 'test-admin-token-0123456789';
export const mysqlBase = process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';

/** REDIS_URL and REDIS_CLUSTER_NODES of the suite's shared Redis, for child processes. */
export function sharedRedisEnv(): Record<string, string> {
  return { REDIS_URL: redisUrl, REDIS_CLUSTER_NODES: clusterNodes };
}

/** A database of the test's own, named after its key prefix (created on first use). */
export function testDatabaseUrl(prefix: string): string {
  return `${mysqlBase}/wr_${prefix}`;
}

export function uniquePrefix(): string {
  return `t${randomBytes(5).toString('hex')}`;
}

/** A config for one test: its own prefix, an ephemeral port, quick drain ticks. */
export function testConfig(overrides: Record<string, string> = {}): Config {
  const prefix = uniquePrefix();
  return loadConfig({
    NODE_ENV: 'test',
    REDIS_URL: redisUrl,
    REDIS_CLUSTER_NODES: overrides.REDIS_URL ? '' : clusterNodes,
    REDIS_KEY_PREFIX: prefix,
    DATABASE_URL: testDatabaseUrl(prefix),
    PORT: '0',
    ADMIN_TOKEN: adminToken,
    LOG_LEVEL: 'silent',
    DRAIN_INTERVAL_MS: '50',
    // Tests make thousands of requests from 127.0.0.1; the rate-limit tests turn it back on.
    RATE_LIMIT_ENABLED: 'false',
    // Reconciliation runs when a test asks for it, not behind its back.
    RECONCILE_INTERVAL_MS: '0',
    ...overrides,
  });
}

/** Every key this prefix owns: the waiting room's and BullMQ's (on every master of a cluster). */
export async function keysOf(redis: RedisClient, prefix: string): Promise<string[]> {
  const found: string[] = [];
  const nodes = redis instanceof Cluster ? redis.nodes('master') : [redis];
  for (const node of nodes) {
    for (const pattern of [`${prefix}:*`, `${bullPrefix(prefix)}*`]) {
      let cursor = '0';
      do {
        const [next, keys] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
        cursor = next;
        found.push(...keys);
      } while (cursor !== '0');
    }
  }
  return found.sort();
}

/** One DEL per key: the keys of a prefix live in many slots of a cluster. */
export async function deletePrefix(redis: RedisClient, prefix: string): Promise<void> {
  const keys = await keysOf(redis, prefix);
  for (let i = 0; i < keys.length; i += 500) {
    await Promise.all(keys.slice(i, i + 500).map((key) => redis.del(key)));
  }
}

/** A byte-exact picture of the waiting room's state, to prove a request changed nothing. */
export async function snapshot(
  redis: RedisClient,
  prefix: string,
): Promise<Record<string, string>> {
  // Left out: the figure history (the worker writes it on its own clock: an idle
  // sale gets a sample every 15 s) and the domain-event stream (the relay appends
  // on its own schedule). Neither is state a request can change.
  const keys = (await keysOf(redis, prefix)).filter(
    (key) =>
      key.startsWith(`${prefix}:`) && !key.endsWith(':history') && key !== `${prefix}:events`,
  );
  const picture: Record<string, string> = {};
  for (const key of keys) picture[key] = (await redis.dumpBuffer(key)).toString('base64');
  return picture;
}

/** The test's own connection to the shared Redis (the cluster in the cluster run). */
export function newRedis(): RedisClient {
  return clusterNodes
    ? new Cluster(
        clusterNodes.split(',').map((node) => {
          const [host, port] = node.split(':');
          return { host, port: Number(port) };
        }),
        { redisOptions: { maxRetriesPerRequest: 2 } },
      )
    : new Redis(redisUrl, { maxRetriesPerRequest: 2 });
}
