// The worker process: BullMQ drain ticks for every promotion.
import { UnrecoverableError, Worker } from 'bullmq';
import { loadConfig, type Config } from '../core/config';
import {
  createDrainQueue,
  drainJobSchema,
  drainQueueName,
  scheduleDrain,
} from '../core/drainQueue';
import { bullPrefix } from '../core/keys';
import { createLogger, type Logger } from '../core/logger';
import { listenMetrics, Metrics } from '../core/metrics';
import { openConnections } from '../core/redis';
import { runMain } from '../core/process';
import { WaitingRoom } from '../core/waitingRoom';
import { drainTick } from './drain';

export interface RunningWorker {
  /** Port of GET /metrics and /healthz when WORKER_METRICS_PORT is set. */
  metricsPort?: number;
  stop(): Promise<void>;
}

export async function startWorker(
  config: Config,
  logger: Logger = createLogger(config.logLevel, 'worker'),
  metrics: Metrics = new Metrics(),
): Promise<RunningWorker> {
  const connections = await openConnections(config.redisUrl, (err) => {
    logger.warn({ err: err.message }, 'redis connection error');
  });
  const { redis, bull: bullConnection } = connections;
  const room = new WaitingRoom(redis, config.keyPrefix);

  // A promotion whose schedule was lost (e.g. created while BullMQ was failing) gets it back.
  const queue = createDrainQueue(bullConnection, config.keyPrefix);
  for (const info of await Promise.all((await room.promotionIds()).map((id) => room.info(id)))) {
    if (info) await scheduleDrain(queue, info.promotionId, info.intervalMs);
  }

  const worker = new Worker(
    drainQueueName,
    async (job) => {
      const data = drainJobSchema.safeParse(job.data);
      if (!data.success) throw new UnrecoverableError(`Bad drain job data: ${data.error.message}`);
      const started = process.hrtime.bigint();
      const report = await drainTick(room, data.data.promotionId);
      metrics.recordTick(report, Number(process.hrtime.bigint() - started) / 1e9);
      if (report.claimed > 0 || report.decided.length > 0) {
        logger.debug(
          {
            promotionId: report.promotionId,
            claimed: report.claimed,
            decided: report.decided.length,
          },
          'drain tick',
        );
      }
      return { claimed: report.claimed, decided: report.decided.length };
    },
    { connection: bullConnection, prefix: bullPrefix(config.keyPrefix), concurrency: 4 },
  );
  worker.on('failed', (job, err) => {
    logger.error({ jobId: job?.id, err }, 'drain tick failed');
  });
  worker.on('error', (err) => {
    logger.error({ err }, 'worker error');
  });
  await worker.waitUntilReady();
  const metricsServer =
    config.workerMetricsPort === undefined
      ? undefined
      : await listenMetrics(metrics, config.workerMetricsPort);
  logger.info({ metricsPort: metricsServer?.port }, 'worker started');

  return {
    metricsPort: metricsServer?.port,
    async stop() {
      await worker.close(); // lets the running tick finish
      await metricsServer?.close();
      await queue.close();
      await connections.close();
      logger.info('worker stopped');
    },
  };
}

if (require.main === module) {
  runMain('worker', (config: Config) => startWorker(config), loadConfig);
}
