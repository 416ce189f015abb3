// Process entry glue: load config, start, and stop cleanly on SIGTERM/SIGINT.
// A second signal, or SHUTDOWN_TIMEOUT_MS passing, forces exit (code 1).
// Start-up failures are one line, no stack trace.
import cluster from 'node:cluster';
import type { Config } from './config';
import { StartupError } from './errors';

/** What a cluster primary sends a worker process to make it stop as SIGTERM would. */
export const stopMessage = 'waiting-room:stop';

interface Stoppable {
  stop(): Promise<void>;
}

export function runMain(
  name: string,
  start: (config: Config) => Promise<Stoppable>,
  loadConfig: () => Config,
): void {
  const fail = (err: unknown): never => {
    const known = err instanceof StartupError;
    process.stderr.write(`${name}: ${known ? err.message : String((err as Error).stack ?? err)}\n`);
    process.exit(1);
  };

  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    fail(err);
    return;
  }
  if (config.adminTokenGenerated) {
    process.stderr.write(
      `${name}: ADMIN_TOKEN is not set; using a generated one for this run: ${config.adminToken}\n`,
    );
  }

  // Handlers go in before start-up: a signal that arrives while starting still
  // stops cleanly once started, instead of killing the process mid-way.
  const running = start(config);
  running.catch(fail);
  let stopping = false;
  const stop = () => {
    stopping = true;
    setTimeout(() => {
      process.stderr.write(
        `${name}: still stopping after ${config.shutdownTimeoutMs} ms (SHUTDOWN_TIMEOUT_MS), exiting now\n`,
      );
      process.exit(1);
    }, config.shutdownTimeoutMs);
    running
      .then((started) => started.stop())
      .then(
        () => process.exit(0),
        (err: unknown) => {
          process.stderr.write(`${name}: error while stopping: ${String(err)}\n`);
          process.exit(1);
        },
      );
  };
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      process.stderr.write(`${name}: second ${signal}, exiting now\n`);
      process.exit(1);
    }
    stop();
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  // A cluster worker is told to stop by its primary over IPC, not by a signal: Ctrl-C
  // reaches the whole process group, and the primary's request must not count as a second one.
  if (cluster.isWorker) {
    process.on('message', (message) => {
      if (message === stopMessage && !stopping) stop();
    });
  }
  // While stopping, a command still in flight on a connection that has just been
  // closed rejects with "Connection is closed." (seen with a Redis Cluster in the
  // all-in-one process). Its work is either done or safe to redo (every job is
  // idempotent), so it must not turn a clean stop into a crash; anything else does.
  process.on('unhandledRejection', (reason) => {
    if (stopping && reason instanceof Error && reason.message === 'Connection is closed.') return;
    throw reason;
  });
}
