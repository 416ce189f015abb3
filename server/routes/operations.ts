// Operator endpoints: liveness, readiness, Prometheus metrics, the OpenAPI
// document and its docs page, and Bull Board for the BullMQ queues.
import express, { type RequestHandler, type Router } from 'express';
import path from 'node:path';
import { z } from 'zod';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';
import type { Logger } from '../../core/platform/logger';
import { ErrorCode } from '../../core/platform/errors';
import type { Metrics } from '../../core/metrics/metrics';
import { projectRoot } from '../../core/platform/paths';
import type { ApiRegistry, RouteFn } from '../http/route';
import { sendOk } from '../http/envelope';
import { buildOpenApi, type OpenApiInfo } from '../http/openapi';
import type { Readiness } from '../http/readiness';

export const adminQueuesPath = '/admin/queues';
const docsAssets = path.dirname(require.resolve('swagger-ui-dist/package.json'));
const docsPage = path.join(projectRoot, 'server', 'docs');

const readinessSchema = z.object({
  ready: z.boolean(),
  checks: z.record(z.string(), z.string()).meta({ description: '"ok" or why a check failed' }),
});

export interface OpsDeps {
  route: RouteFn;
  registry: ApiRegistry;
  readiness: Readiness;
  metrics: Metrics;
  logger: Logger;
  info: OpenApiInfo;
  /** Guards in front of /metrics (its bearer token); null: not served here (METRICS_PORT). */
  metricsGuard: readonly RequestHandler[] | null;
}

export function opsRoutes(deps: OpsDeps): void {
  const { route, registry, readiness, metrics, logger, info, metricsGuard } = deps;
  route(
    {
      method: 'get',
      path: '/healthz',
      tag: 'operations',
      access: 'public',
      summary: 'Liveness: the process is up (it does not look at Redis)',
      response: { description: 'Alive', data: z.object({ status: z.literal('ok') }) },
    },
    (_input, _req, res) => {
      sendOk(res, 'Alive.', { status: 'ok' });
    },
  );

  route(
    {
      method: 'get',
      path: '/readyz',
      tag: 'operations',
      access: 'public',
      summary: 'Readiness: Redis (and, when configured, the database) answer',
      description: 'Answers 503 with the same body when a check fails or the server is stopping.',
      response: { description: 'Every check passed', data: readinessSchema },
    },
    async (_input, _req, res) => {
      const report = await readiness.report();
      if (report.ready) {
        sendOk(res, 'Ready.', report);
        return;
      }
      res.status(503).json({
        success: false,
        message: `Not ready: ${Object.entries(report.checks)
          .filter(([, v]) => v !== 'ok')
          .map(([k, v]) => `${k} ${v}`)
          .join('; ')}.`,
        code: 'UNAVAILABLE',
        data: report,
      });
    },
  );

  if (metricsGuard) {
    route(
      {
        method: 'get',
        path: '/metrics',
        tag: 'operations',
        // Its own token (METRICS_TOKEN, the admin token by default), checked by metricsGuard.
        access: 'public',
        summary:
          'Prometheus metrics (text exposition format); Authorization: Bearer <METRICS_TOKEN>',
        description:
          'Not served on this port when METRICS_PORT is set. Prometheus sends the token with ' +
          'its `authorization` scrape setting.',
        response: { description: 'Metrics', contentType: 'text/plain' },
        errors: [ErrorCode.Unauthorized, ErrorCode.RateLimited],
        before: metricsGuard,
      },
      async (_input, _req, res) => {
        const text = await metrics.scrape((err: unknown) => {
          logger.warn({ err }, 'metrics collector failed');
        });
        res.type(metrics.contentType).send(text);
      },
    );
  }

  route(
    {
      method: 'get',
      path: '/openapi.json',
      tag: 'operations',
      access: 'public',
      summary: 'This OpenAPI 3.1 document, generated from the routes’ zod schemas',
      response: { description: 'The document', contentType: 'application/json' },
    },
    (_input, _req, res) => {
      res.json(buildOpenApi(registry, info));
    },
  );
}

/** Static docs page (Swagger UI from node_modules, no CDN) under /docs. */
export function docsPageRouter(registry: ApiRegistry): Router {
  registry.add({
    method: 'get',
    path: '/docs',
    tag: 'operations',
    summary: 'API docs page (Swagger UI) for /openapi.json',
    access: 'public',
    response: { description: 'HTML page', contentType: 'text/html' },
    errors: [],
    mount: true,
  });
  const router = express.Router();
  router.use('/docs', express.static(docsPage), express.static(docsAssets, { index: false }));
  return router;
}

/** Bull Board for every BullMQ queue of the system; callers put the admin guard in front. */
export function bullBoardApp(registry: ApiRegistry, queues: Queue[]) {
  registry.add({
    method: 'get',
    path: adminQueuesPath,
    tag: 'operations',
    summary: 'Bull Board: BullMQ queues, jobs and failures (HTML, HTTP Basic with the admin token)',
    access: 'admin',
    response: { description: 'HTML page', contentType: 'text/html' },
    errors: [],
    mount: true,
  });
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(adminQueuesPath);
  createBullBoard({ queues: queues.map((q) => new BullMQAdapter(q)), serverAdapter });
  return serverAdapter.getRouter() as express.Express;
}
