// The Express app: JSON body limit, the queue API, and the one error handler.
import express, { type Express } from 'express';
import path from 'node:path';
import type { Queue } from 'bullmq';
import type { Config } from '../core/config';
import type { DrainJob } from '../core/drainQueue';
import type { Logger } from '../core/logger';
import { projectRoot } from '../core/paths';
import type { QueueTokens } from '../core/queueToken';
import type { WaitingRoom } from '../core/waitingRoom';
import { adminAuth } from './adminAuth';
import { errorHandler } from './http';
import { queueRoutes } from './queueRoutes';

export interface AppDeps {
  config: Config;
  room: WaitingRoom;
  drainQueue: Queue<DrainJob>;
  tokens: QueueTokens;
  logger: Logger;
}

export function createApp({ config, room, drainQueue, tokens, logger }: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '16kb' }));
  app.use(
    queueRoutes({
      room,
      drainQueue,
      tokens,
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
