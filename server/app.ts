// The Express app: JSON body limit, the queue API, and the one error handler.
import express, { type Express } from 'express';
import path from 'node:path';
import type { Queue } from 'bullmq';
import type { Config } from '../core/config';
import type { DrainJob } from '../core/drainQueue';
import type { Logger } from '../core/logger';
import { projectRoot } from '../core/paths';
import type { WaitingRoom } from '../core/waitingRoom';
import { adminAuth } from './adminAuth';
import { errorHandler } from './http';
import { queueRoutes } from './queueRoutes';
import { SoldOutCache } from './soldOutCache';

export interface AppDeps {
  config: Config;
  room: WaitingRoom;
  drainQueue: Queue<DrainJob>;
  logger: Logger;
}

export function createApp({ config, room, drainQueue, logger }: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '16kb' }));
  app.use(
    queueRoutes({
      room,
      joins: new SoldOutCache(room, config.soldOutCacheMs, {
        onError: (err) => {
          logger.warn({ err }, 'sold-out cache refresh failed; joins keep asking Redis');
        },
      }),
      drainQueue,
      adminOnly: adminAuth(config.adminToken),
      defaults: { batchSize: config.drainBatchSize, intervalMs: config.drainIntervalMs },
    }),
  );
  app.use(express.static(path.join(projectRoot, 'web')));
  app.use((req, res) => {
    res.status(404).json({
      success: false,
      message: `No route for ${req.method} ${req.path}.`,
      code: 'NOT_FOUND',
      data: null,
    });
  });
  app.use(errorHandler(logger));
  return app;
}
