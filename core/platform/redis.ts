// Redis connections: one factory (a single Redis or a Redis Cluster), and a
// start-up check that turns "cannot connect" into one line that says where we
// looked and how to start Redis.
import { StartupError } from './errors';
import { Cluster, Redis, type RedisOptions } from 'ioredis';
import type { Config } from './config';
import { withTimeout } from './timeout';

/** A single Redis or a Redis Cluster: both run the same commands and Lua scripts. */
export type RedisClient = Redis | Cluster;

/** Where Redis is: the cluster's seed nodes when set, else the URL. */
export type RedisTarget = Pick<Config, 'redisUrl' | 'redisClusterNodes'>;

export class RedisUnavailableError extends StartupError {
  override readonly name = 'RedisUnavailableError';
}

/**
 * A connection for commands. `forBullWorker` connections block and must retry
 * forever (BullMQ requires maxRetriesPerRequest: null); command connections
 * fail fast so an HTTP request gets an answer while Redis is away.
 * `autoPipelining` sends the commands of one event-loop turn in one write
 * (live-event publishes come in bursts of a whole batch).
 */
export function createRedis(
  target: RedisTarget,
  options: {
    forBullWorker?: boolean;
    onError?: (err: Error) => void;
    autoPipelining?: boolean;
  } = {},
): RedisClient {
  const base: RedisOptions = {
    lazyConnect: true,
    maxRetriesPerRequest: options.forBullWorker ? null : 2,
    enableReadyCheck: true,
    // Commands issued in the same tick share one socket write: the join profile spent
    // ~16% of its time in one write per command (see BENCHMARKS.md). BullMQ's
    // blocking connections keep their own pacing.
    enableAutoPipelining: options.autoPipelining ?? !options.forBullWorker,
  };
  const nodes = target.redisClusterNodes;
  // On a cluster every script's keys share one hash tag ({p<id>}, {<prefix>:bull}),
  // so each call goes to the one master that owns the slot; reads stay on masters
  // because a replica may not have the decision yet.
  const redis = nodes
    ? new Cluster(
        nodes.map((n) => ({ ...n })),
        {
          lazyConnect: true,
          scaleReads: 'master',
          enableReadyCheck: true,
          enableAutoPipelining: base.enableAutoPipelining ?? false,
          redisOptions: { maxRetriesPerRequest: base.maxRetriesPerRequest ?? null },
        },
      )
    : new Redis(target.redisUrl, base);
  // ioredis reconnects by itself; an error event is news for the log, not a crash.
  redis.on('error', options.onError ?? (() => undefined));
  return redis;
}

/** Connects, or throws RedisUnavailableError with a one-line explanation. */
export async function connectRedis(
  redis: RedisClient,
  target: RedisTarget,
  timeoutMs = 3000,
): Promise<void> {
  const where = target.redisClusterNodes
    ? `cluster ${target.redisClusterNodes.map((n) => `${n.host}:${n.port}`).join(',')}`
    : target.redisUrl.replace(/\/\/[^@/]*@/, '//***@');
  let firstError: Error | undefined;
  const remember = (err: Error) => (firstError ??= err);
  redis.on('error', remember);
  try {
    await withTimeout(redis.connect(), timeoutMs);
    await redis.ping();
  } catch (err) {
    redis.disconnect();
    const cause = firstError ?? err;
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new RedisUnavailableError(
      `Cannot reach Redis at ${where} (${reason}). Start one with ` +
        '`docker compose up -d redis` or `redis-server --daemonize yes`, or set REDIS_URL ' +
        '(REDIS_CLUSTER_NODES for a cluster).',
    );
  } finally {
    redis.off('error', remember);
  }
}

export interface Connections {
  /** Commands and Lua scripts; fails fast while Redis is away. */
  redis: RedisClient;
  /** BullMQ's connection (queues and workers); retries forever. */
  bull: RedisClient;
  close(): Promise<void>;
}

/** The two connections every process opens, checked at start. */
export async function openConnections(
  target: RedisTarget,
  onError: (err: Error) => void,
): Promise<Connections> {
  const redis = createRedis(target, { onError });
  await connectRedis(redis, target);
  const bull = createRedis(target, { forBullWorker: true, onError });
  return {
    redis,
    bull,
    async close() {
      bull.disconnect();
      await redis.quit();
    },
  };
}
