// Starts the real server(s) and worker in this process, on ephemeral ports. Several
// servers share one config (prefix, queue-token secret), as one deployment's would.
import type { Config } from '../../core/config';
import { startServer, type RunningServer } from '../../server/main';
import { startWorker, type RunningWorker } from '../../worker/main';
import { api } from './api';
import { deletePrefix, newRedis, testConfig } from './env';

export interface TestSystem {
  config: Config;
  server: RunningServer;
  /** Every server started; `server` is the first. */
  servers: RunningServer[];
  api: ReturnType<typeof api>;
  redis: ReturnType<typeof newRedis>;
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
  const servers: RunningServer[] = [];
  for (let i = 0; i < serverCount; i++) servers.push(stopOnce(await startServer(config)));
  const server = servers[0];
  if (!server) throw new Error('startSystem needs at least one server');
  const redis = newRedis();
  const workers: RunningWorker[] = [];
  const system: TestSystem = {
    config,
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
      await deletePrefix(redis, config.keyPrefix);
      await redis.quit();
    },
  };
  if (withWorker) await system.startWorker();
  return system;
}
