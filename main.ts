// All-in-one: server and worker in one process, for a laptop or a demo.
import { loadConfig, type Config } from './core/platform/config';
import { Metrics } from './core/metrics/metrics';
import { createLogger } from './core/platform/logger';
import { runMain } from './core/platform/process';
import { startServer } from './server/main';
import { startWorker } from './worker/main';

export async function startAll(config: Config) {
  // One registry for both halves, so the server's /metrics shows the worker's counters too.
  const metrics = new Metrics();
  const worker = await startWorker(config, createLogger(config.logLevel, 'worker'), metrics);
  const server = await startServer(config, createLogger(config.logLevel, 'server'), metrics);
  return {
    port: server.port,
    async stop() {
      await server.stop();
      await worker.stop();
    },
  };
}

if (require.main === module) {
  runMain('waiting-room', startAll, loadConfig);
}
