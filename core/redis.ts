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
 */
export function createRedis(url: string, options: { forBullWorker?: boolean } = {}): Redis {
  const base: RedisOptions = {
    lazyConnect: true,
    maxRetriesPerRequest: options.forBullWorker ? null : 2,
    enableReadyCheck: true,
  };
  return new Redis(url, base);
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
  try {
    await Promise.race([redis.connect(), timeout]);
    await redis.ping();
  } catch (err) {
    redis.disconnect();
    const reason = err instanceof Error ? err.message : String(err);
    throw new RedisUnavailableError(
      `Cannot reach Redis at ${where} (${reason}). Start one with ` +
        '`docker compose up -d redis` or `redis-server --daemonize yes`, or set REDIS_URL.',
    );
  } finally {
    clearTimeout(timer);
  }
}
