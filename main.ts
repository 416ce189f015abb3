// All-in-one: server and worker in one process, for a laptop or a demo.
import { loadConfig, type Config } from './core/config';
import { runMain } from './core/process';
import { startServer } from './server/main';
import { startWorker } from './worker/main';

export async function startAll(config: Config) {
  const worker = await startWorker(config);
  const server = await startServer(config);
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
