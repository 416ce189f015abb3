// Redis connections: one factory, and a start-up check that turns "cannot
// connect" into one line that says where we looked and how to start Redis.
import { Redis, type RedisOptions } from 'ioredis';

export class RedisUnavailableError extends Error {
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
  url: string,
  options: {
    forBullWorker?: boolean;
    onError?: (err: Error) => void;
    autoPipelining?: boolean;
  } = {},
): Redis {
  const base: RedisOptions = {
    lazyConnect: true,
    maxRetriesPerRequest: options.forBullWorker ? null : 2,
    enableReadyCheck: true,
    // Commands issued in the same tick share one socket write: the join profile spent
    // ~16% of its time in one write per command (see BENCHMARKS.md). BullMQ's
    // blocking connections keep their own pacing.
    enableAutoPipelining: options.autoPipelining ?? !options.forBullWorker,
  };
  const redis = new Redis(url, base);
  // ioredis reconnects by itself; an error event is news for the log, not a crash.
  redis.on('error', options.onError ?? (() => undefined));
  return redis;
}

/** Connects, or throws RedisUnavailableError with a one-line explanation. */
export async function connectRedis(redis: Redis, url: string, timeoutMs = 3000): Promise<void> {
  const where = url.replace(/\/\/[^@/]*@/, '//***@');
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`no answer within ${timeoutMs} ms`));
    }, timeoutMs);
  });
  let firstError: Error | undefined;
  const remember = (err: Error) => (firstError ??= err);
  redis.on('error', remember);
  try {
    await Promise.race([redis.connect(), timeout]);
    await redis.ping();
  } catch (err) {
    redis.disconnect();
    const cause = firstError ?? err;
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new RedisUnavailableError(
      `Cannot reach Redis at ${where} (${reason}). Start one with ` +
        '`docker compose up -d redis` or `redis-server --daemonize yes`, or set REDIS_URL.',
    );
  } finally {
    clearTimeout(timer);
    redis.off('error', remember);
  }
}

export interface Connections {
  /** Commands and Lua scripts; fails fast while Redis is away. */
  redis: Redis;
  /** BullMQ's connection (queues and workers); retries forever. */
  bull: Redis;
  close(): Promise<void>;
}

/** The two connections every process opens, checked at start. */
export async function openConnections(
  url: string,
  onError: (err: Error) => void,
): Promise<Connections> {
  const redis = createRedis(url, { onError });
  await connectRedis(redis, url);
  const bull = createRedis(url, { forBullWorker: true, onError });
  return {
    redis,
    bull,
    async close() {
      bull.disconnect();
      await redis.quit();
    },
  };
}
