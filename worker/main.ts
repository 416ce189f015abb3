// The worker process: BullMQ drain ticks, persistence to the database, scheduled
// reconciliation, a recovery loop that rebuilds what a Redis restart lost, and
// live events to the pages after every tick.
import { Queue, Worker, type Processor } from 'bullmq';
import { loadConfig, type Config } from '../core/platform/config';
import { drainQueueName } from '../core/jobs/drainJobs';
import { bullPrefix } from '../core/room/keys';
import { createLogger, type Logger } from '../core/platform/logger';
import { Metrics } from '../core/metrics/metrics';
import { listenMetrics } from '../core/metrics/metricsListener';
import { persistJobSchema, persistQueueName } from '../core/jobs/persistJobs';
import { runMain } from '../core/platform/process';
import { connectRedis, createRedis } from '../core/platform/redis';
import { openServices } from '../core/services';
import { drainProcessor, persistProcessor, reconcileProcessor } from './jobs';
import { DrainFirst } from './drainFirst';
import { startEventWorkers } from './events';
import { TickNotifier } from './notify';
import { reconcileQueueName, recoverAll } from './recovery';

export interface RunningWorker {
  /** Port of GET /metrics and /healthz when WORKER_METRICS_PORT is set. */
  metricsPort?: number;
  stop(): Promise<void>;
}

/** How often recovery runs: a Redis restart is repaired within this long. */
const recoveryEveryMs = 5000;

export async function startWorker(
  config: Config,
  logger: Logger = createLogger(config.logLevel, 'worker'),
  metrics: Metrics = new Metrics(),
): Promise<RunningWorker> {
  const s = await openServices(config, logger);
  const connection = s.connections.bull;
  // Live events get their own connection, so a burst of publishes never delays a Lua call.
  const publisher = createRedis(config, {
    onError: (err) => {
      logger.warn({ err: err.message }, 'redis connection error (live events)');
    },
    autoPipelining: true,
  });
  await connectRedis(publisher, config);
  const notifier = new TickNotifier(
    s.room,
    s.connections.redis,
    config.keyPrefix,
    publisher,
    logger,
  );
  const prefix = bullPrefix(config.keyPrefix);
  const reconcileQueue = new Queue(reconcileQueueName, { connection, prefix });

  const workers: Worker[] = [];
  const start = (name: string, processor: Processor, concurrency: number) => {
    // A killed worker's job is found stalled and run again within seconds; every
    // job here is idempotent, so a second run is harmless.
    const worker = new Worker(name, processor, {
      connection,
      prefix,
      concurrency,
      lockDuration: 15000,
      stalledInterval: 5000,
    });
    worker.on('error', (err) => {
      logger.error({ err, queue: name }, 'worker error');
    });
    workers.push(worker);
    return worker;
  };
  // The drain's jobs come first; webhook deliveries wait until it is quiet (drainFirst.ts).
  const drainFirst = new DrainFirst();
  const drain = drainProcessor(s, metrics, notifier);
  const ticked = (r: Awaited<ReturnType<typeof drain>>) => (r.claimed ?? 0) + (r.decided ?? 0) > 0;
  start(drainQueueName, (job) => drainFirst.run(() => drain(job), ticked), 4).on(
    'failed',
    (job, err) => {
      logger.error({ jobId: job?.id, err }, 'drain tick failed');
    },
  );
  const persist = persistProcessor(s);
  const wrote = (r: Awaited<ReturnType<typeof persist>>) => r.persisted + r.holdEvents > 0;
  start(persistQueueName, (job) => drainFirst.run(() => persist(job), wrote), 2).on(
    'failed',
    (job, err) => {
      logger.warn(
        { jobId: job?.id, attempt: job?.attemptsMade, err: err.message },
        'persist failed',
      );
      // Out of retries: an operator sees it (and the dead-letter gauge alerts). The
      // decisions stay in the stream and the next tick asks again, so nothing is dropped.
      const data = persistJobSchema.safeParse(job?.data);
      if (job && data.success && job.attemptsMade >= (job.opts.attempts ?? 1)) {
        void s.deadLetters.addJobFailure(data.data.promotionId, err.message).catch(() => undefined);
      }
    },
  );
  start(reconcileQueueName, reconcileProcessor(s, metrics), 1);
  const events = startEventWorkers(s, start, metrics, drainFirst);

  let recovering: Promise<void> | null = null;
  const recover = () => {
    recovering ??= recoverAll(s, reconcileQueue)
      .then(events.ensureSchedule)
      .catch((err: unknown) => {
        logger.warn({ err: (err as Error).message }, 'recovery pass failed; will retry');
      })
      .finally(() => {
        recovering = null;
      });
    return recovering;
  };
  await recover();
  const timer = setInterval(() => void recover(), recoveryEveryMs);
  await Promise.all(workers.map((w) => w.waitUntilReady()));
  const metricsServer =
    config.workerMetricsPort === undefined
      ? undefined
      : await listenMetrics(metrics, config.workerMetricsPort);
  logger.info({ metricsPort: metricsServer?.port }, 'worker started');

  return {
    metricsPort: metricsServer?.port,
    async stop() {
      clearInterval(timer);
      await metricsServer?.close();
      await recovering;
      await Promise.all(workers.map((w) => w.close())); // running jobs finish first
      await reconcileQueue.close();
      await events.close();
      await publisher.quit();
      await s.close();
      logger.info('worker stopped');
    },
  };
}

if (require.main === module) {
  runMain('worker', (config: Config) => startWorker(config), loadConfig);
}
