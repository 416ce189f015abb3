// Starts the real server and worker in this process, on an ephemeral port.
import type { Config } from '../../core/config';
import type { Services } from '../../core/services';
import { dropMysqlDatabase, openDb, type Db } from '../../core/db/connection';
import { startServer, type RunningServer } from '../../server/main';
import { startWorker, type RunningWorker } from '../../worker/main';
import { api } from './api';
import { Redis } from 'ioredis';
import { deletePrefix, testConfig } from './env';

export interface TestSystem {
  config: Config;
  /** The test's own view of the database (a separate pool). */
  db: Db;
  /** The server's own services (queues, room), for looking inside. */
  services: Services;
  server: RunningServer;
  api: ReturnType<typeof api>;
  redis: Redis;
  startWorker(): Promise<RunningWorker>;
  stop(): Promise<void>;
}

export async function startSystem(
  overrides: Record<string, string> = {},
  { withWorker = true } = {},
): Promise<TestSystem> {
  const config = testConfig(overrides);
  const server = await startServer(config);
  const db = await openDb({ databaseUrl: config.databaseUrl, sqliteFile: config.sqliteFile });
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 2 });
  const workers: RunningWorker[] = [];
  const system: TestSystem = {
    config,
    db,
    services: server.services,
    server,
    api: api(server.port),
    redis,
    async startWorker() {
      const worker = await startWorker(config);
      // A test may stop its worker early; stopping it again at the end is a no-op.
      let stopped: Promise<void> | undefined;
      const once = { metricsPort: worker.metricsPort, stop: () => (stopped ??= worker.stop()) };
      workers.push(once);
      return once;
    },
    async stop() {
      await Promise.all(workers.map((w) => w.stop()));
      await server.stop();
      await db.destroy();
      await deletePrefix(redis, config.keyPrefix);
      if (config.databaseUrl) await dropMysqlDatabase(config.databaseUrl);
      await redis.quit();
    },
  };
  if (withWorker) await system.startWorker();
  return system;
}
