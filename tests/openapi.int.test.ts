// /openapi.json is valid OpenAPI 3.1, is generated from the routes' own zod
// schemas, and documents every route the Express app answers.
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Express } from 'express';
import { dropMysqlDatabase } from '../core/db/connection';
import { createLogger } from '../core/platform/logger';
import { Metrics } from '../core/metrics/metrics';
import { QueueTokens } from '../core/live/queueToken';
import { openServices, type Services } from '../core/services';
import { createApp } from '../server/app';
import { openApiPath } from '../server/http/openapi';
import { Readiness } from '../server/http/readiness';
import { adminToken, deletePrefix, testConfig } from './helpers/env';

const config = testConfig();
let services: Services;
let app: Express;
let server: Server;
let base: string;

type Doc = {
  openapi: string;
  paths: Record<string, Record<string, Record<string, unknown>>>;
  components: { schemas: Record<string, unknown> };
};
let doc: Doc;

beforeAll(async () => {
  services = await openServices(config, createLogger('silent', 'test'));
  const { redis } = services.connections;
  ({ app } = createApp({
    services,
    queues: [services.drainQueue, services.persistQueue],
    metrics: new Metrics({ defaultMetrics: false }),
    readiness: new Readiness(redis),
    tokens: new QueueTokens(config.queueTokenSecret, 60_000),
  }));
  server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  doc = (await (await fetch(`${base}/openapi.json`)).json()) as Doc;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await deletePrefix(services.connections.redis, config.keyPrefix);
  await services.close();
  if (config.databaseUrl) await dropMysqlDatabase(config.databaseUrl);
});

function validateWithSeriousme(
  document: unknown,
): Promise<{ valid: boolean; version: string; errors: unknown }> {
  const child = spawn(process.execPath, [path.join(__dirname, 'helpers', 'validateOpenApi.mjs')], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stdin.end(JSON.stringify(document));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', () => {
      resolve(JSON.parse(out) as { valid: boolean; version: string; errors: unknown });
    });
  });
}

interface LayerLike {
  rawPath?: unknown;
  route?: { path: string; methods: Record<string, boolean> };
  handle: { stack?: LayerLike[] };
}

/** Every `METHOD path` the Express app routes, found by walking its router stack. */
function routesOf(stack: LayerLike[], prefix = ''): string[] {
  const found: string[] = [];
  for (const layer of stack) {
    const mount = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
    if (layer.route) {
      for (const [method, on] of Object.entries(layer.route.methods)) {
        if (on && method !== '_all') found.push(`${method} ${prefix}${layer.route.path}`);
      }
    } else if (layer.handle.stack) {
      found.push(...routesOf(layer.handle.stack, prefix + mount));
    }
  }
  return found;
}

test('/openapi.json validates as OpenAPI 3.1', async () => {
  expect(doc.openapi).toBe('3.1.0');
  const result = await validateWithSeriousme(doc);
  expect(result.errors).toBeUndefined();
  expect(result).toMatchObject({ valid: true, version: '3.1' });
});

test('the validator is not a rubber stamp: a broken document is refused', async () => {
  const broken = { ...doc, paths: { '/x': { get: { responses: { 200: { content: 5 } } } } } };
  expect((await validateWithSeriousme(broken)).valid).toBe(false);
});

test('every route the app answers is documented, and every documented route answers', async () => {
  const routed = routesOf((app as Express & { router: { stack: LayerLike[] } }).router.stack);
  const documented = Object.entries(doc.paths).flatMap(([p, ops]) =>
    Object.keys(ops).map((method) => `${method} ${p}`),
  );
  expect(routed.length).toBeGreaterThanOrEqual(8);
  for (const r of routed) {
    const [method, p] = r.split(' ');
    expect(documented).toContain(`${method} ${openApiPath(p ?? '')}`);
  }
  for (const d of documented) {
    const [method, p] = d.split(' ');
    const res = await fetch(`${base}${p ?? ''}`, {
      method: (method ?? 'get').toUpperCase(),
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: method === 'get' ? undefined : '{}',
      redirect: 'manual',
    });
    // Bad input is fine (400); "No route" is not.
    const text = await res.text();
    expect(`${d}: ${text.includes('No route for') ? 'no route' : 'routed'}`).toBe(`${d}: routed`);
  }
});

test('the seed API is documented from its zod schemas: inputs, envelope, refusals', () => {
  const join = doc.paths['/api/coupon/queue/join']?.post;
  expect(join).toBeDefined();
  expect(JSON.stringify(join?.requestBody)).toContain('"required":["promotionId","userId"]');
  expect(JSON.stringify(join?.requestBody)).toContain('^[A-Za-z0-9_.:@-]{1,64}$');
  expect(Object.keys(join?.responses ?? {})).toEqual([
    '200',
    '400',
    '401',
    '403',
    '404',
    '409',
    '429',
    '503',
  ]);
  expect(join?.security).toEqual([{ shopperJwt: [] }, { queueToken: [] }, {}]);
  for (const p of [
    '/api/promotions',
    '/api/promotions/{id}/consistency',
    '/api/coupons/{code}/cancel',
  ]) {
    expect(doc.paths[p]).toBeDefined();
  }
  expect(JSON.stringify(join?.responses)).toContain('#/components/schemas/JoinedShopperState');
  expect(JSON.stringify((join?.responses as Record<string, unknown>)['429'])).toContain(
    'Retry-After',
  );
  const status = doc.paths['/api/coupon/queue/status']?.get;
  expect(status?.parameters).toEqual([
    expect.objectContaining({ name: 'promotionId', in: 'query', required: true }),
    expect.objectContaining({ name: 'userId', in: 'query', required: true }),
  ]);
  const info = doc.paths['/api/coupon/queue/info']?.get;
  expect(info?.security).toEqual([{ adminToken: [] }]);
  expect(Object.keys(doc.components.schemas)).toEqual(
    expect.arrayContaining(['ShopperState', 'PromotionInfo', 'ErrorEnvelope']),
  );
  for (const p of ['/healthz', '/readyz', '/metrics', '/openapi.json', '/docs', '/admin/queues']) {
    expect(doc.paths[p]?.get).toBeDefined();
  }
});

test('/docs serves Swagger UI from node_modules, pointed at /openapi.json', async () => {
  const page = await fetch(`${base}/docs/`);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain('/docs/swagger-ui-bundle.js');
  const bundle = await fetch(`${base}/docs/swagger-ui-bundle.js`);
  expect(bundle.status).toBe(200);
  expect(bundle.headers.get('content-type')).toMatch(/javascript/);
  expect(await (await fetch(`${base}/docs/init.js`)).text()).toContain("url: '/openapi.json'");
});
