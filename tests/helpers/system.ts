// Starts the real server(s) and worker in this process, on ephemeral ports. Several
// servers share one config (prefix, queue-token secret), as one deployment's would.
import type { Config } from '../../core/platform/config';
import type { Services } from '../../core/services';
import { dropMysqlDatabase, openDb, type Db } from '../../core/db/connection';
import { startServer, type RunningServer } from '../../server/main';
import { startWorker, type RunningWorker } from '../../worker/main';
import { api, forgetQueueTokens } from './api';
import { Redis } from 'ioredis';
import type { RedisClient } from '../../core/platform/redis';
import { clusterNodes, deletePrefix, newRedis, testConfig } from './env';

export interface TestSystem {
  config: Config;
  /** The test's own view of the database (a separate pool). */
  db: Db;
  /** The server's own services (queues, room), for looking inside. */
  services: Services;
  server: RunningServer;
  /** Every server started; `server` is the first. */
  servers: RunningServer[];
  api: ReturnType<typeof api>;
  redis: RedisClient;
  startWorker(): Promise<RunningWorker>;
  stop(): Promise<void>;
}

/** A test may stop a process early; stopping it again at the end is a no-op. */
function stopOnce<T extends { stop(): Promise<void> }>(running: T): T {
  let stopped: Promise<void> | undefined;
  return { ...running, stop: () => (stopped ??= running.stop()) };
}

export async function startSystem(
  overrides: Record<string, string> = {},
  { withWorker = true, servers: serverCount = 1 } = {},
): Promise<TestSystem> {
  const config = testConfig(overrides);
  forgetQueueTokens();
  const servers: RunningServer[] = [];
  for (let i = 0; i < serverCount; i++) servers.push(stopOnce(await startServer(config)));
  const server = servers[0];
  if (!server) throw new Error('startSystem needs at least one server');
  const db = await openDb({ databaseUrl: config.databaseUrl, sqliteFile: config.sqliteFile });
  // The test looks where the system runs: the shared cluster, or the REDIS_URL it was given.
  const redis =
    config.redisClusterNodes && clusterNodes
      ? newRedis()
      : new Redis(config.redisUrl, { maxRetriesPerRequest: 2 });
  const workers: RunningWorker[] = [];
  const system: TestSystem = {
    config,
    db,
    services: server.services,
    server,
    servers,
    api: api(server.port),
    redis,
    async startWorker() {
      const worker = stopOnce(await startWorker(config));
      workers.push(worker);
      return worker;
    },
    async stop() {
      await Promise.all(workers.map((w) => w.stop()));
      await Promise.all(servers.map((s) => s.stop()));
      await db.destroy();
      await deletePrefix(redis, config.keyPrefix);
      if (config.databaseUrl) await dropMysqlDatabase(config.databaseUrl);
      await redis.quit();
    },
  };
  if (withWorker) await system.startWorker();
  return system;
}
