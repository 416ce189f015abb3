// Everything a process talks to, opened once and closed once: Redis, the
// database, the Lua face, the write-behind log, dead letters, the BullMQ queues.
import type { Queue } from 'bullmq';
import type { Config } from './platform/config';
import { openDb, type Db } from './db/connection';
import { DeadLetters } from './writeBehind/deadLetters';
import { DecisionLog } from './writeBehind/decisionLog';
import { createDrainQueue, drainSchedulerId, scheduleDrain, type DrainJob } from './jobs/drainJobs';
import type { Logger } from './platform/logger';
import { createPersistQueue, enqueuePersist, type PersistJob } from './jobs/persistJobs';
import { openConnections, type Connections } from './platform/redis';
import { WaitingRoom } from './room/waitingRoom';

export interface Services {
  config: Config;
  logger: Logger;
  connections: Connections;
  db: Db;
  room: WaitingRoom;
  log: DecisionLog;
  deadLetters: DeadLetters;
  drainQueue: Queue<DrainJob>;
  persistQueue: Queue<PersistJob>;
  schedule(promotionId: number, intervalMs: number): Promise<void>;
  unschedule(promotionId: number): Promise<void>;
  requestPersist(promotionId: number): Promise<void>;
  close(): Promise<void>;
}

export async function openServices(config: Config, logger: Logger): Promise<Services> {
  const connections = await openConnections(config, (err) => {
    logger.warn({ err: err.message }, 'redis connection error');
  });
  let db: Db;
  try {
    db = await openDb({
      databaseUrl: config.databaseUrl,
      sqliteFile: config.sqliteFile,
      warn: (message) => {
        logger.warn({ err: message }, 'database');
      },
    });
  } catch (err) {
    await connections.close();
    throw err;
  }
  const { redis, bull } = connections;
  const drainQueue = createDrainQueue(bull, config.keyPrefix);
  const persistQueue = createPersistQueue(bull, config.keyPrefix);
  for (const queue of [drainQueue, persistQueue]) {
    queue.on('error', (err) => {
      logger.warn({ err: err.message, queue: queue.name }, 'queue connection error');
    });
  }
  return {
    config,
    logger,
    connections,
    db,
    room: new WaitingRoom(redis, config.keyPrefix),
    log: new DecisionLog(redis, config.keyPrefix),
    deadLetters: new DeadLetters(redis, config.keyPrefix),
    drainQueue,
    persistQueue,
    schedule: (promotionId, intervalMs) => scheduleDrain(drainQueue, promotionId, intervalMs),
    unschedule: async (promotionId) => {
      await drainQueue.removeJobScheduler(drainSchedulerId(promotionId));
    },
    requestPersist: (promotionId) => enqueuePersist(persistQueue, promotionId, config.persistRetry),
    async close() {
      await drainQueue.close();
      await persistQueue.close();
      await db.destroy();
      await connections.close();
    },
  };
}
