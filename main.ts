// All-in-one: server and worker in one process, for a laptop or a demo.
import { loadConfig, type Config } from './core/config';
import { Metrics } from './core/metrics';
import { createLogger } from './core/logger';
import { runMain } from './core/process';
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
