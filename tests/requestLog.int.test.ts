// The access log: every error, refusal (but a shopper's 409) and slow request
// is logged with its request id, successes are sampled (ACCESS_LOG_SAMPLE), no
// tokens or secrets in the logs; security headers exactly helmet's on pages and
// OWASP's API set on JSON answers; CORS as configured.
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import express from 'express';
import helmet from 'helmet';
import { createLogger } from '../core/platform/logger';
import { AppError, ErrorCode } from '../core/platform/errors';
import { errorHandler } from '../server/http/envelope';
import { requestLog, slowRequestMs } from '../server/http/requestLog';
import { startServer, type RunningServer } from '../server/main';
import { adminToken, testConfig } from './helpers/env';
import { scrape } from './helpers/prometheus';

type Line = Record<string, unknown> & { req?: { id: string; method: string; url: string } };

/** A logger whose lines the test reads back. */
function capturedLogger() {
  const lines: Line[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        lines.push(JSON.parse(line) as Line);
      }
      done();
    },
  });
  const requests = () => lines.filter((l) => l.msg === 'request completed');
  return { lines, requests, logger: createLogger('info', 'server', sink) };
}

const none = capturedLogger();
const all = capturedLogger();
let sampledNone: RunningServer;
let sampledAll: RunningServer;
let base: string;
let baseAll: string;
const admin = { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' };
const json = { 'content-type': 'application/json' };

beforeAll(async () => {
  const options = { LOG_LEVEL: 'info', CORS_ORIGINS: 'https://shop.example' };
  [sampledNone, sampledAll] = await Promise.all([
    startServer(testConfig({ ...options, ACCESS_LOG_SAMPLE: '0' }), none.logger),
    startServer(testConfig({ ...options, ACCESS_LOG_SAMPLE: '1' }), all.logger),
  ]);
  base = `http://127.0.0.1:${sampledNone.port}`;
  baseAll = `http://127.0.0.1:${sampledAll.port}`;
});
afterAll(() => Promise.all([sampledNone.stop(), sampledAll.stop()]));

/** One shopper flow: stock 1, a join, a status read, a sold-out join, a bad join, an unknown promotion. */
async function shopperFlow(origin: string) {
  const post = (path: string, body: unknown, headers: Record<string, string> = json) =>
    fetch(origin + path, { method: 'POST', headers, body: JSON.stringify(body) });
  const answers = [
    await post('/api/coupon/queue/init-stock', { promotionId: 1, stock: 0 }, admin),
    await post('/api/coupon/queue/init-stock', { promotionId: 2, stock: 5 }, admin),
    await post('/api/coupon/queue/join', { promotionId: 2, userId: 'ann' }),
    await fetch(`${origin}/api/coupon/queue/status?promotionId=2&userId=ann`),
    await post('/api/coupon/queue/join', { promotionId: 1, userId: 'bob' }),
    await post('/api/coupon/queue/join', { promotionId: 'two', userId: 'cy' }),
    await fetch(`${origin}/api/coupon/queue/status?promotionId=999&userId=ann`),
  ];
  return answers.map((res) => ({ status: res.status, id: res.headers.get('x-request-id') }));
}

test('at sample 0 a shopper’s successes and 409s are not logged; operator calls and every other refusal are, with their ids', async () => {
  none.lines.length = 0;
  const answers = await shopperFlow(base);
  expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 409, 400, 404]);
  const logged = none.requests();
  const expected = [answers[0], answers[1], answers[5], answers[6]];
  expect(logged.map((l) => [l.req?.id, l.res])).toEqual(
    expected.map((a) => [a?.id, { status: a?.status }]),
  );
  expect(logged.map((l) => l.level)).toEqual([30, 30, 30, 30]);
  // Counted in metrics all the same.
  const metrics = await scrape(`${base}/metrics`);
  expect(metrics).toContain(
    'http_request_duration_seconds_count{method="POST",route="/api/coupon/queue/join",status="409"} 1',
  );
});

test('at sample 1 every request is logged with its id', async () => {
  all.lines.length = 0;
  const answers = await shopperFlow(baseAll);
  expect(all.requests().map((l) => [l.req?.id, l.res])).toEqual(
    answers.map((a) => [a.id, { status: a.status }]),
  );
});

test('at sample 0 a shopper’s success with their own token is not logged; a wrong token and an admin token are', async () => {
  const joined = await fetch(`${base}/api/coupon/queue/join`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ promotionId: 2, userId: 'dee' }),
  });
  const { queueToken } = ((await joined.json()) as { data: { queueToken: string } }).data;
  none.lines.length = 0;
  const status = (token: string) =>
    fetch(`${base}/api/coupon/queue/status?promotionId=2&userId=dee`, {
      headers: { authorization: `Bearer ${token}` },
    });
  const own = await status(queueToken);
  const wrong = await status('not-a-queue-token');
  const operator = await fetch(`${base}/api/coupon/queue/info?promotionId=2`, { headers: admin });
  expect([own.status, wrong.status, operator.status]).toEqual([200, 401, 200]);
  expect(none.requests().map((l) => [l.req?.id, l.res])).toEqual(
    [wrong, operator].map((a) => [a.headers.get('x-request-id'), { status: a.status }]),
  );
});

test('a refusal is logged with the caller’s X-Request-Id echoed back, and no secrets', async () => {
  none.lines.length = 0;
  const res = await fetch(
    `${base}/api/coupon/queue/info?promotionId=1&queueToken=sekret-queue-token`,
    { headers: { 'x-request-id': 'trace-abc.123', authorization: `Bearer ${adminToken}` } },
  );
  expect(res.headers.get('x-request-id')).toBe('trace-abc.123');
  await fetch(`${base}/healthz`); // probes are not logged
  await scrape(`${base}/metrics`);
  const logged = none.requests();
  expect(logged).toHaveLength(1);
  expect(logged[0]).toMatchObject({
    level: 30,
    req: {
      id: 'trace-abc.123',
      method: 'GET',
      url: '/api/coupon/queue/info?promotionId=1&queueToken=[redacted]',
    },
    res: { status: 400 },
  });
  expect(typeof logged[0]?.responseTime).toBe('number');
  const everything = JSON.stringify(none.lines);
  expect(everything).not.toContain('sekret-queue-token');
  expect(everything).not.toContain(adminToken);
});

test('a request without an id, or with one that does not look like an id, gets a fresh one', async () => {
  all.lines.length = 0;
  const plain = await fetch(`${baseAll}/api/coupon/queue/status?promotionId=2&userId=ann`);
  const odd = await fetch(`${baseAll}/api/coupon/queue/status?promotionId=2&userId=ann`, {
    headers: { 'x-request-id': 'has spaces and "quotes"' },
  });
  const uuid = /^[0-9a-f-]{36}$/;
  expect(plain.headers.get('x-request-id')).toMatch(uuid);
  expect(odd.headers.get('x-request-id')).toMatch(uuid);
  expect(all.requests().map((l) => l.req?.id)).toEqual([
    plain.headers.get('x-request-id'),
    odd.headers.get('x-request-id'),
  ]);
});

test('at sample 0 a slow request is logged as a warning and a failure as an error, both with their ids', async () => {
  const log = capturedLogger();
  let clock = 0;
  const app = express();
  app.use(requestLog(log.logger, { sample: 0, now: () => clock }));
  app.get('/fast', (_req, res) => {
    res.json({ ok: true });
  });
  app.get('/slow', (_req, res) => {
    clock += slowRequestMs; // the handler "took" the threshold
    res.json({ ok: true });
  });
  app.get('/broken', () => {
    throw new Error('database down');
  });
  app.get('/limited', () => {
    throw new AppError(ErrorCode.RateLimited, 'Too many requests.', { retryAfterSeconds: 1 });
  });
  app.use(errorHandler(log.logger));
  const server = app.listen(0);
  try {
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const answers = [];
    for (const path of ['/fast', '/slow', '/broken', '/limited']) {
      const res = await fetch(origin + path);
      answers.push({ path, status: res.status, id: res.headers.get('x-request-id') });
    }
    expect(answers.map((a) => a.status)).toEqual([200, 200, 503, 429]);
    const [, slow, broken, limited] = answers;
    expect(log.requests().map((l) => [l.level, l.req?.id, l.req?.url])).toEqual([
      [40, slow?.id, '/slow'],
      [50, broken?.id, '/broken'],
      [30, limited?.id, '/limited'],
    ]);
    // The failure's own line names the request too.
    expect(log.lines.find((l) => l.msg === 'request failed')).toMatchObject({ reqId: broken?.id });
  } finally {
    server.close();
  }
});

test('the security headers are exactly helmet’s; CORS only for the configured origin', async () => {
  const reference = express();
  reference.use(
    helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } }),
  );
  reference.get('/healthz', (_req, res) => res.end());
  const server = reference.listen(0);
  try {
    const port = (server.address() as AddressInfo).port;
    const expected = (await fetch(`http://127.0.0.1:${port}/healthz`)).headers;
    const allowed = await fetch(`${base}/healthz`, { headers: { origin: 'https://shop.example' } });
    const helmetNames = [...expected.keys()].filter(
      (name) => !['date', 'connection', 'keep-alive', 'content-length'].includes(name),
    );
    expect(helmetNames.length).toBeGreaterThan(10);
    for (const name of helmetNames) {
      expect([name, allowed.headers.get(name)]).toEqual([name, expected.get(name)]);
    }
    expect(allowed.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(allowed.headers.get('x-powered-by')).toBeNull();
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    const other = await fetch(`${base}/healthz`, { headers: { origin: 'https://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  } finally {
    server.close();
  }
});

test('API answers carry the API security headers and no-store; the hot routes too', async () => {
  await fetch(`${base}/api/coupon/queue/init-stock`, {
    method: 'POST',
    headers: admin,
    body: JSON.stringify({ promotionId: 7, stock: 3 }),
  });
  const origin = { origin: 'https://shop.example' };
  const answers = await Promise.all([
    fetch(`${base}/api/coupon/queue/join`, {
      method: 'POST',
      headers: { ...json, ...origin },
      body: JSON.stringify({ promotionId: 7, userId: 'hdr' }),
    }),
    fetch(`${base}/api/coupon/queue/status?promotionId=7&userId=hdr`, { headers: origin }),
    fetch(`${base}/api/coupon/queue/info?promotionId=7`, { headers: { ...admin, ...origin } }),
    fetch(`${base}/api/coupon/queue/status?promotionId=7&userId=x&extra=1`, { headers: origin }),
  ]);
  expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 400]);
  for (const answer of answers) {
    const h = answer.headers;
    expect({
      cache: h.get('cache-control'),
      csp: h.get('content-security-policy'),
      frames: h.get('x-frame-options'),
      sniff: h.get('x-content-type-options'),
      hsts: h.get('strict-transport-security'),
      corp: h.get('cross-origin-resource-policy'),
      cors: h.get('access-control-allow-origin'),
      id: h.get('x-request-id'),
      type: h.get('content-type'),
      // Page-only headers are left off JSON answers.
      dns: h.get('x-dns-prefetch-control'),
      etag: h.get('etag'),
    }).toEqual({
      cache: 'no-store',
      csp: "default-src 'none'; frame-ancestors 'none'",
      frames: 'DENY',
      sniff: 'nosniff',
      hsts: 'max-age=31536000; includeSubDomains',
      corp: 'same-origin',
      cors: 'https://shop.example',
      id: expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown,
      type: 'application/json; charset=utf-8',
      dns: null,
      etag: null,
    });
  }
});

test('a body over 16 kB is refused with 413 and the envelope', async () => {
  const res = await fetch(`${base}/api/coupon/queue/join`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ promotionId: 1, userId: 'x', pad: 'y'.repeat(20_000) }),
  });
  expect(res.status).toBe(413);
  expect(await res.json()).toMatchObject({ success: false, code: 'BAD_REQUEST' });
});
