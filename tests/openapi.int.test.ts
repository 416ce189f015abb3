// /openapi.json is valid OpenAPI 3.1, is generated from the routes' own zod
// schemas, and documents every route the Express app answers.
import { shopperJwtVerifier } from '../server/http/shopperAuth';
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Express } from 'express';
import type { z } from 'zod';
import { dropMysqlDatabase } from '../core/db/connection';
import { createLogger } from '../core/platform/logger';
import { Metrics } from '../core/metrics/metrics';
import { QueueTokens } from '../core/live/queueToken';
import { openServices, type Services } from '../core/services';
import { createApp } from '../server/app';
import { openApiPath } from '../server/http/openapi';
import type { ApiRegistry } from '../server/http/route';
import { Readiness } from '../server/http/readiness';
import { adminToken, deletePrefix, testConfig } from './helpers/env';

const config = testConfig();
let services: Services;
let app: Express;
let registry: ApiRegistry;
let server: Server;
let base: string;

type Doc = {
  openapi: string;
  servers?: { url: string; description?: string }[];
  paths: Record<string, Record<string, Record<string, unknown>>>;
  components: { schemas: Record<string, unknown> };
};
let doc: Doc;

beforeAll(async () => {
  services = await openServices(config, createLogger('silent', 'test'));
  const { redis } = services.connections;
  ({ app, registry } = createApp({
    services,
    queues: [services.drainQueue, services.persistQueue],
    metrics: new Metrics({ defaultMetrics: false }),
    readiness: new Readiness(redis),
    tokens: new QueueTokens(config.queueTokenSecret, 60_000),
    shopperJwt: shopperJwtVerifier(config.shopperAuth),
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

type Operation = {
  description?: string;
  parameters?: { name: string; example?: unknown }[];
  requestBody?: { content: Record<string, { example?: unknown }> };
  responses: Record<string, { content?: Record<string, { example?: unknown }> }>;
};

const operations = () =>
  Object.entries(doc.paths).flatMap(([p, ops]) =>
    Object.entries(ops).map(([method, op]) => ({ name: `${method} ${p}`, op: op as Operation })),
  );

test('the document names its servers', () => {
  expect(doc.servers?.length).toBeGreaterThanOrEqual(1);
  for (const server of doc.servers ?? []) {
    expect(server.url).toMatch(/^(\/|https?:\/\/)/);
    expect(server.description).toBeTruthy();
  }
});

test('every operation has a description with its refusals, and examples of what goes in and out', () => {
  const missing: string[] = [];
  for (const { name, op } of operations()) {
    if (!op.description || op.description.length < 30) missing.push(`${name}: description`);
    const success = Object.entries(op.responses).find(([status]) => status.startsWith('2'));
    const media = Object.values(success?.[1].content ?? {});
    if (media.length === 0 || media.some((m) => m.example === undefined)) {
      missing.push(`${name}: response example`);
    }
    for (const [status, response] of Object.entries(op.responses)) {
      if (status.startsWith('2')) continue;
      expect(op.description).toContain(`- ${status} `);
      const example = response.content?.['application/json']?.example;
      if (example === undefined) missing.push(`${name}: ${status} example`);
    }
    for (const param of op.parameters ?? []) {
      // An optional query parameter may be left out of the example; a path one may not.
      if (param.example === undefined && /\{/.test(name) && name.includes(`{${param.name}}`)) {
        missing.push(`${name}: ${param.name} example`);
      }
    }
    if (op.parameters && op.parameters.every((p) => p.example === undefined)) {
      missing.push(`${name}: parameter examples`);
    }
    const body = op.requestBody?.content['application/json'];
    if (op.requestBody && body?.example === undefined) missing.push(`${name}: body example`);
  }
  expect(missing).toEqual([]);
});

test('every example is accepted by the schema it illustrates', () => {
  const refused: string[] = [];
  const check = (name: string, schema: z.ZodType | undefined, example: unknown) => {
    if (!schema || example === undefined) return;
    const result = schema.safeParse(example);
    if (!result.success) refused.push(`${name}: ${result.error.message}`);
  };
  for (const route of registry.routes) {
    const name = `${route.method} ${route.path}`;
    check(`${name} params`, route.params, route.example?.params);
    check(`${name} query`, route.query, route.example?.query);
    check(`${name} body`, route.body, route.example?.body);
    const response = route.response;
    if ('data' in response) check(`${name} response`, response.data, response.example.data);
    else if (response.schema) check(`${name} response`, response.schema, response.example);
  }
  expect(refused).toEqual([]);
});

test('the example checks are not rubber stamps: a wrong example is refused', () => {
  const join = registry.routes.find((r) => r.path === '/api/coupon/queue/join');
  expect(join?.body?.safeParse({ promotionId: 'one', userId: 'shopper-42' }).success).toBe(false);
  const response = join?.response;
  expect(response && 'data' in response && response.data.safeParse({ status: 'X' }).success).toBe(
    false,
  );
});
