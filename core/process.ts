// Process entry glue: load config, start, and stop cleanly on SIGTERM/SIGINT
// (a second signal forces exit), also when the signal arrives during start.
// Start-up failures are one line, no stack trace.
import { ConfigError, type Config } from './config';
import { RedisUnavailableError } from './redis';

interface Stoppable {
  stop(): Promise<void>;
}

export function runMain(
  name: string,
  start: (config: Config) => Promise<Stoppable>,
  loadConfig: () => Config,
): void {
  const fail = (err: unknown): never => {
    const known = err instanceof ConfigError || err instanceof RedisUnavailableError;
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

  // Handlers go in before start: a signal that lands while starting (a deploy
  // replacing a pod, a test that saw "listening" a moment early) stops cleanly
  // as soon as start finishes, instead of killing the process mid-way.
  let running: Stoppable | undefined;
  let stopping = false;
  const stop = (target: Stoppable) => {
    target.stop().then(
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
    stopping = true;
    if (running) stop(running);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);

  start(config).then((started) => {
    running = started;
    if (stopping) stop(started);
  }, fail);
}
