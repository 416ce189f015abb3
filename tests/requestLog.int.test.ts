// One JSON line per request with a request id; no tokens or secrets in the logs;
// security headers and CORS as configured.
import { Writable } from 'node:stream';
import { createLogger } from '../core/platform/logger';
import { startServer, type RunningServer } from '../server/main';
import { adminToken, testConfig } from './helpers/env';

const lines: Record<string, unknown>[] = [];
const sink = new Writable({
  write(chunk: Buffer, _encoding, done) {
    for (const line of chunk.toString().split('\n').filter(Boolean)) {
      lines.push(JSON.parse(line) as Record<string, unknown>);
    }
    done();
  },
});

let server: RunningServer;
let base: string;
beforeAll(async () => {
  const config = testConfig({ LOG_LEVEL: 'info', CORS_ORIGINS: 'https://shop.example' });
  server = await startServer(config, createLogger('info', 'server', sink));
  base = `http://127.0.0.1:${server.port}`;
});
afterAll(() => server.stop());

const requestLines = () => lines.filter((l) => l.msg === 'request completed');

test('one line per request, with the caller’s X-Request-Id echoed back, and no secrets', async () => {
  lines.length = 0;
  const res = await fetch(
    `${base}/api/coupon/queue/info?promotionId=1&queueToken=sekret-queue-token`,
    { headers: { 'x-request-id': 'trace-abc.123', authorization: `Bearer ${adminToken}` } },
  );
  expect(res.headers.get('x-request-id')).toBe('trace-abc.123');
  await fetch(`${base}/healthz`); // probes are not logged
  await fetch(`${base}/metrics`);
  const logged = requestLines();
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
  const everything = JSON.stringify(lines);
  expect(everything).not.toContain('sekret-queue-token');
  expect(everything).not.toContain(adminToken);
});

test('a request without an id, or with one that does not look like an id, gets a fresh one', async () => {
  lines.length = 0;
  const plain = await fetch(`${base}/api/coupon/queue/status?promotionId=1&userId=a`);
  const odd = await fetch(`${base}/api/coupon/queue/status?promotionId=1&userId=a`, {
    headers: { 'x-request-id': 'has spaces and "quotes"' },
  });
  const uuid = /^[0-9a-f-]{36}$/;
  expect(plain.headers.get('x-request-id')).toMatch(uuid);
  expect(odd.headers.get('x-request-id')).toMatch(uuid);
  expect(requestLines().map((l) => (l.req as { id: string }).id)).toEqual([
    plain.headers.get('x-request-id'),
    odd.headers.get('x-request-id'),
  ]);
});

test('helmet headers on every answer; CORS only for the configured origin', async () => {
  const allowed = await fetch(`${base}/healthz`, { headers: { origin: 'https://shop.example' } });
  expect(allowed.headers.get('x-content-type-options')).toBe('nosniff');
  expect(allowed.headers.get('content-security-policy')).toContain("default-src 'self'");
  expect(allowed.headers.get('x-powered-by')).toBeNull();
  expect(allowed.headers.get('access-control-allow-origin')).toBe('https://shop.example');
  const other = await fetch(`${base}/healthz`, { headers: { origin: 'https://evil.example' } });
  expect(other.headers.get('access-control-allow-origin')).toBeNull();
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
