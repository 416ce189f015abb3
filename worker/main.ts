// The worker process: BullMQ drain ticks for every promotion, each followed by
// live events to the pages.
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
import { connectRedis, createRedis, openConnections } from '../core/redis';
import { runMain } from '../core/process';
import { WaitingRoom } from '../core/waitingRoom';
import { drainTick } from './drain';
import { TickNotifier } from './notify';

export interface RunningWorker {
  stop(): Promise<void>;
}

export async function startWorker(
  config: Config,
  logger: Logger = createLogger(config.logLevel, 'worker'),
): Promise<RunningWorker> {
  const onRedisError = (err: Error) => {
    logger.warn({ err: err.message }, 'redis connection error');
  };
  const connections = await openConnections(config.redisUrl, onRedisError);
  const { redis, bull: bullConnection } = connections;
  const room = new WaitingRoom(redis, config.keyPrefix);
  // Live events get their own connection, so a burst of publishes never delays a Lua call.
  const publisher = createRedis(config.redisUrl, { onError: onRedisError, autoPipelining: true });
  await connectRedis(publisher, config.redisUrl);
  const notifier = new TickNotifier(room, redis, config.keyPrefix, publisher, logger);

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
      const report = await drainTick(room, data.data.promotionId);
      // The decisions are already safe in Redis; a page that misses an event catches up on reconnect.
      await notifier.afterTick(report).catch((err: unknown) => {
        logger.warn({ err, promotionId: report.promotionId }, 'live events failed');
      });
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
  logger.info('worker started');

  return {
    async stop() {
      await worker.close(); // lets the running tick finish
      await queue.close();
      await publisher.quit();
      await connections.close();
      logger.info('worker stopped');
    },
  };
}

if (require.main === module) {
  runMain('worker', (config: Config) => startWorker(config), loadConfig);
}
