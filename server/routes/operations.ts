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
import { buildOpenApi, type OpenApiInfo, type OpenApiServer } from '../http/openapi';
import { htmlExample } from '../http/apiExamples';
import type { Readiness } from '../http/readiness';
import { securityHeaders } from '../http/securityHeaders';

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
  servers: readonly OpenApiServer[];
  /** Guards in front of /metrics (its bearer token); null: not served here (METRICS_PORT). */
  metricsGuard: readonly RequestHandler[] | null;
}

export function opsRoutes(deps: OpsDeps): void {
  const { route, registry, readiness, metrics, logger, info, servers, metricsGuard } = deps;
  route(
    {
      method: 'get',
      path: '/healthz',
      tag: 'operations',
      access: 'public',
      summary: 'Liveness: the process is up (it does not look at Redis)',
      description:
        'Called by the orchestrator’s liveness probe. Answers as long as the process runs; ' +
        'a failing Redis does not make it fail (that is /readyz), so a Redis outage does not ' +
        'restart every server.',
      response: {
        description: 'Alive',
        data: z.object({ status: z.literal('ok') }),
        example: { message: 'Alive.', data: { status: 'ok' } },
      },
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
      description:
        'Called by the load balancer’s readiness probe: send traffic only while this answers ' +
        '200. Answers 503 with the same body (success false, code UNAVAILABLE) when a check ' +
        'fails or the server is stopping.',
      response: {
        description: 'Every check passed',
        data: readinessSchema,
        example: {
          message: 'Ready.',
          data: { ready: true, checks: { redis: 'ok', database: 'ok' } },
        },
      },
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
          'Scraped by Prometheus (see ops/prometheus). Not served on this port when ' +
          'METRICS_PORT is set. Prometheus sends the token with its `authorization` scrape setting.',
        response: {
          description: 'Metrics',
          contentType: 'text/plain',
          example:
            '# HELP waiting_room_joins_total Join requests per promotion by result\n' +
            '# TYPE waiting_room_joins_total counter\n' +
            'waiting_room_joins_total{promotion="1",result="joined"} 290\n',
        },
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
      description:
        'Read by the docs page (/docs), client generators and the shop’s developers. Built ' +
        'from the route declarations at each request, so it always matches what the server accepts.',
      response: {
        description: 'The document',
        contentType: 'application/json',
        example: { openapi: '3.1.0', info: { title: info.title, version: info.version } },
      },
    },
    (_input, _req, res) => {
      res.json(buildOpenApi(registry, info, servers));
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
    description:
      'For developers in a browser: Swagger UI served from node_modules (no CDN), reading /openapi.json.',
    access: 'public',
    response: { description: 'HTML page', contentType: 'text/html', example: htmlExample },
    errors: [],
    mount: true,
  });
  const router = express.Router();
  router.use('/docs', express.static(docsPage), express.static(docsAssets, { index: false }));
  return router;
}

/**
 * Bull Board's page links Google Fonts, hard-coded in @bull-board/ui/dist/index.ejs
 * (line 11) with no option to leave it out. Its own CSP keeps the browser from
 * fetching it: styles and fonts only from this server (inline styles stay allowed,
 * the board's loader uses them), and the board falls back to the system fonts.
 */
const boardHeaders = securityHeaders({
  contentSecurityPolicy: {
    directives: {
      upgradeInsecureRequests: null,
      styleSrc: ["'self'", "'unsafe-inline'"],
      fontSrc: ["'self'", 'data:'],
    },
  },
});

/** Bull Board for every BullMQ queue of the system; callers put the admin guard in front. */
export function bullBoardApp(registry: ApiRegistry, queues: Queue[]) {
  registry.add({
    method: 'get',
    path: adminQueuesPath,
    tag: 'operations',
    summary: 'Bull Board: BullMQ queues, jobs and failures (HTML, HTTP Basic with the admin token)',
    description:
      'For operators in a browser: the BullMQ queues (drain, persist, webhooks), their jobs ' +
      'and failures, with retry. The browser asks for the admin token as the Basic password.',
    access: 'admin',
    response: { description: 'HTML page', contentType: 'text/html', example: htmlExample },
    errors: [],
    mount: true,
  });
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(adminQueuesPath);
  createBullBoard({ queues: queues.map((q) => new BullMQAdapter(q)), serverAdapter });
  return express.Router().use(boardHeaders, serverAdapter.getRouter() as express.Router);
}
