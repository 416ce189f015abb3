// A redis-server of the test's own that it can restart empty, so a test can lose
// Redis's state without touching the Redis other tests share.
import { freePort, startRedis, stopRedis } from './redisServer';

export interface PrivateRedis {
  url: string;
  /** Kills the server and starts a new, empty one on the same port. */
  restartEmpty(): Promise<void>;
  stop(): Promise<void>;
}

export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  let proc = await startRedis(port);
  return {
    url: `redis://127.0.0.1:${port}`,
    async restartEmpty() {
      await stopRedis(proc);
      proc = await startRedis(port);
    },
    stop: () => stopRedis(proc),
  };
}
