// The Express app: request log and metrics, security headers (helmet's,
// computed once), CORS, the JSON body limit, the documented routes (queue API,
// operator endpoints), Bull Board, the docs page, the web pages (web/dist), and
// the one error handler.
import express, { type Express, type RequestHandler } from 'express';
import cors from 'cors';
import type { Queue } from 'bullmq';
import type { Metrics } from '../core/metrics/metrics';
import type { QueueTokens } from '../core/live/queueToken';
import type { Services } from '../core/services';
import type { ServerDeps } from '../core/useCases/deps';
import { LivePublisher } from '../core/live/publisher';
import { adminAuth, isAdminToken } from './http/adminAuth';
import { identify, type ShopperAuth, type ShopperJwtVerifier } from './http/shopperAuth';
import { ApiRegistry, apiRoutes, inline, type HotRoutes } from './http/route';
import { couponRoutes } from './routes/coupons';
import { deadLetterRoutes } from './routes/deadLetters';
import { errorHandler } from './http/envelope';
import { httpMetrics } from './http/httpMetrics';
import { adminQueuesPath, bullBoardApp, docsPageRouter, opsRoutes } from './routes/operations';
import { historyRoutes } from './routes/history';
import { holdRoutes } from './routes/holds';
import { promotionRoutes } from './routes/promotions';
import { waitingLineRoutes } from './routes/waitingLine';
import { promotionPageRoutes } from './routes/promotionPage';
import { PublicFaces } from '../core/useCases/publicFace';
import { challengeRoutes } from './routes/challenge';
import { createLimiters, perIp } from './http/rateLimit';
import type { Readiness } from './http/readiness';
import { jsonBody } from './http/jsonBody';
import { requestLog } from './http/requestLog';
import { securityHeaders } from './http/securityHeaders';
import { SoldOutCache } from '../core/room/soldOutCache';
import { UnknownPromotions } from '../core/useCases/unknownPromotions';
import { JoinChallenges } from '../core/useCases/challenge';
import { webAssets, webPageRoutes } from './routes/pages';
import { webhookRoutes } from './routes/webhooks';
import { ledgerRoutes } from './routes/ledger';

export interface AppDeps {
  services: Services;
  /** Every BullMQ queue for Bull Board and the queue metrics. */
  queues: Queue[];
  metrics: Metrics;
  readiness: Readiness;
  /** Signs the queueToken a page presents to the live socket. */
  tokens: QueueTokens;
  /** Signed mode's verifier (shopperJwtVerifier), shared with the socket gateway: one JWKS cache. */
  shopperJwt: ShopperJwtVerifier | undefined;
}

export interface App {
  app: Express;
  /** Every documented route: the OpenAPI document is built from it. */
  registry: ApiRegistry;
}

export function createApp(given: AppDeps): App {
  const { services, queues, metrics, readiness, tokens, shopperJwt } = given;
  const { config, logger } = services;
  const { redis } = services.connections;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  // helmet's defaults, less upgrade-insecure-requests: a demo served over plain
  // HTTP on a LAN address would otherwise have its pages fetch assets over https.
  const csp = { directives: { upgradeInsecureRequests: null } };
  const chain: RequestHandler[] = [
    requestLog(logger, { sample: config.accessLogSample, record: httpMetrics(metrics) }),
    securityHeaders({ contentSecurityPolicy: csp }),
  ];
  if (config.corsOrigins === '*' || config.corsOrigins.length > 0) {
    chain.push(cors({ origin: config.corsOrigins === '*' ? '*' : [...config.corsOrigins] }));
  }
  chain.push(jsonBody(16 * 1024));
  // Every /api route needs Redis: answered 503 at once while it is away.
  const api = [...chain, readiness.requireRedis];
  // Hot routes are the app's first layers, the chain run inline (route.ts); the
  // chain's middleware is added for every other route once the routes are declared.
  const hot: HotRoutes = { router: app, prelude: inline(api) };

  const limits = createLimiters(config.rateLimit, redis, config.keyPrefix, metrics);
  const adminLimit = perIp(limits['admin-ip']);
  const registry = new ApiRegistry();
  const router = express.Router();
  const shopperAuth: ShopperAuth = {
    jwt: shopperJwt,
    tokens,
    isAdmin: isAdminToken(config.adminToken),
  };
  const route = apiRoutes(
    router,
    registry,
    {
      adminOnly: adminAuth(config.adminToken),
      adminLimit,
      identify: (req, access) => identify(shopperAuth, req, access),
    },
    hot,
  );
  const joins = new SoldOutCache(services.room, config.soldOutCacheMs, {
    onError: (err) => {
      logger.warn({ err }, 'sold-out cache refresh failed; joins keep asking Redis');
    },
  });
  const publisher = new LivePublisher(redis, config.keyPrefix, logger);
  const unknown = new UnknownPromotions(config.unknownPromotionCacheMs);
  const challenges = new JoinChallenges({
    db: services.db,
    redis,
    keyPrefix: config.keyPrefix,
    unknown,
    secret: config.queueTokenSecret,
    ttlSeconds: config.challengeTtlSeconds,
  });
  const faces = new PublicFaces({ db: services.db, unknown });
  const deps: ServerDeps = {
    ...services,
    joins,
    tokens,
    metrics,
    publisher,
    unknown,
    challenges,
    faces,
  };
  waitingLineRoutes(route, deps, limits);
  challengeRoutes(route, deps, limits);
  holdRoutes(route, deps, limits);
  promotionRoutes(route, deps);
  promotionPageRoutes(route, deps, limits);
  historyRoutes(route, deps);
  couponRoutes(route, deps, limits);
  deadLetterRoutes(route, deps);
  webhookRoutes(route, deps);
  ledgerRoutes(route, deps);
  webPageRoutes(route);
  opsRoutes({
    route,
    registry,
    readiness,
    metrics,
    logger,
    // On the public port only with its bearer token; with METRICS_PORT, not here at all.
    metricsGuard:
      config.metricsPort === undefined
        ? [
            adminLimit,
            adminAuth(config.metricsToken ?? config.adminToken, { name: 'METRICS_TOKEN' }),
          ]
        : null,
    info: {
      title: 'Flash-sale coupon waiting room',
      version: '0.1.0',
      description:
        'Responses use the { success, message, data } envelope; errors add a code. The live ' +
        'queue (Socket.IO) is described in docs/asyncapi.json.',
    },
    // No public base URL is configured: the document describes the origin it is fetched from.
    servers: [{ url: '/', description: 'This server (the origin serving this document)' }],
  });
  app.use(...chain);
  app.use('/api', readiness.requireRedis);
  app.use(router);
  app.use(
    adminQueuesPath,
    adminLimit,
    adminAuth(config.adminToken, { challenge: true }),
    bullBoardApp(registry, queues),
  );
  app.use(docsPageRouter(registry));
  app.use(webAssets());
  app.use((req, res) => {
    res.status(404).json({
      success: false,
      message: `No route for ${req.method} ${req.path}.`,
      code: 'NOT_FOUND',
      data: null,
    });
  });
  app.use(errorHandler(logger));
  return { app, registry };
}
