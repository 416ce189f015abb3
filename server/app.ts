// The Express app: JSON body limit, the queue API, and the one error handler.
import express, { type Express } from 'express';
import path from 'node:path';
import { projectRoot } from '../core/paths';
import type { Services } from '../core/services';
import { adminAuth } from './adminAuth';
import { couponRoutes } from './couponRoutes';
import { errorHandler } from './http';
import { promotionRoutes } from './promotionRoutes';
import { queueRoutes } from './queueRoutes';

export function createApp(s: Services): Express {
  const adminOnly = adminAuth(s.config.adminToken);
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '16kb' }));
  app.use(queueRoutes(s, adminOnly));
  app.use(couponRoutes(s, adminOnly));
  app.use('/api/promotions', adminOnly);
  app.use(promotionRoutes(s));
  app.use(express.static(path.join(projectRoot, 'web')));
  app.use((req, res) => {
    res.status(404).json({
      success: false,
      message: `No route for ${req.method} ${req.path}.`,
      code: 'NOT_FOUND',
      data: null,
    });
  });
  app.use(errorHandler(s.logger));
  return app;
}
