// Starts the real server and worker in this process, on an ephemeral port.
import type { Config } from '../../core/config';
import { startServer, type RunningServer } from '../../server/main';
import { startWorker, type RunningWorker } from '../../worker/main';
import { api } from './api';
import { deletePrefix, newRedis, testConfig } from './env';

export interface TestSystem {
  config: Config;
  server: RunningServer;
  api: ReturnType<typeof api>;
  redis: ReturnType<typeof newRedis>;
  startWorker(): Promise<RunningWorker>;
  stop(): Promise<void>;
}

export async function startSystem(
  overrides: Record<string, string> = {},
  { withWorker = true } = {},
): Promise<TestSystem> {
  const config = testConfig(overrides);
  const server = await startServer(config);
  const redis = newRedis();
  const workers: RunningWorker[] = [];
  const system: TestSystem = {
    config,
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
      await deletePrefix(redis, config.keyPrefix);
      await redis.quit();
    },
  };
  if (withWorker) await system.startWorker();
  return system;
}
