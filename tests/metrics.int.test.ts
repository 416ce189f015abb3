// /metrics exposes the named series and they move when a sale runs.
import { metricValue, scrape } from './helpers/prometheus';
import { startSystem, type TestSystem } from './helpers/system';
import { inParallel, waitFor } from './helpers/wait';
import { adminToken } from './helpers/env';

let system: TestSystem;
afterEach(() => system.stop());

test('a sale moves the join, admission, issue and failure counters, the queue gauges and the HTTP histogram', async () => {
  system = await startSystem(
    { WORKER_METRICS_PORT: '0', DRAIN_BATCH_SIZE: '10', DRAIN_INTERVAL_MS: '20' },
    { withWorker: false },
  );
  const serverMetrics = `http://127.0.0.1:${system.server.port}/metrics`;
  const p = { promotion: '1' };
  await system.api.initStock(1, 30);
  await inParallel(
    Array.from({ length: 50 }, (_, i) => () => system.api.join(1, `m${i}`)),
    10,
  );
  await system.api.join(1, 'm0'); // a retry
  await system.api.join(999, 'm0'); // unknown promotion: no series for it

  let text = await scrape(serverMetrics);
  expect(metricValue(text, 'waiting_room_joins_total', { ...p, result: 'joined' })).toBe(50);
  expect(metricValue(text, 'waiting_room_joins_total', { ...p, result: 'duplicate' })).toBe(1);
  expect(metricValue(text, 'waiting_room_joins_total', { promotion: '999' })).toBeUndefined();
  expect(metricValue(text, 'waiting_room_queue_length', p)).toBe(50);
  expect(metricValue(text, 'waiting_room_stock_remaining', p)).toBe(30);
  expect(metricValue(text, 'waiting_room_processing', p)).toBe(0);
  expect(metricValue(text, 'waiting_room_bullmq_jobs', { queue: 'drain', state: 'failed' })).toBe(
    0,
  );
  expect(
    metricValue(text, 'http_request_duration_seconds_count', {
      method: 'POST',
      route: '/api/coupon/queue/join',
      status: '200',
    }),
  ).toBe(51);
  expect(
    metricValue(text, 'http_request_duration_seconds_count', { route: 'unmatched' }),
  ).toBeUndefined();
  expect(metricValue(text, 'process_cpu_seconds_total')).toBeGreaterThan(0);

  const worker = await system.startWorker();
  expect(worker.metricsPort).toBeGreaterThan(0);
  const workerMetrics = `http://127.0.0.1:${worker.metricsPort ?? 0}/metrics`;
  await waitFor(
    () => scrape(workerMetrics),
    (t) => metricValue(t, 'waiting_room_admitted_total', p) === 50,
    { what: 'the worker to admit everyone' },
  );
  text = await scrape(workerMetrics);
  expect(metricValue(text, 'waiting_room_coupons_issued_total', p)).toBe(30);
  expect(metricValue(text, 'waiting_room_failed_total', { ...p, reason: 'SOLD_OUT' })).toBe(20);
  expect(metricValue(text, 'waiting_room_drain_tick_duration_seconds_count')).toBeGreaterThan(0);
  expect(await (await fetch(`http://127.0.0.1:${worker.metricsPort ?? 0}/healthz`)).text()).toBe(
    '{"status":"ok"}',
  );

  await system.api.join(1, 'late');
  text = await scrape(serverMetrics);
  expect(metricValue(text, 'waiting_room_queue_length', p)).toBe(0);
  expect(metricValue(text, 'waiting_room_stock_remaining', p)).toBe(0);
  expect(metricValue(text, 'waiting_room_joins_total', { ...p, result: 'sold_out' })).toBe(1);
});

test('dead letters and drift come from the real stores; the socket hook works; a failing hook does not break the others', async () => {
  system = await startSystem({}, { withWorker: false });
  const { metrics, services } = system.server;
  const decision = { promotionId: 7, userId: 'u', ticket: 1, code: '7-1-AAAAAAAAAA' };
  await services.deadLetters.addDecision({ ...decision, issuedAt: new Date() }, 'refused');
  await services.deadLetters.addJobFailure(7, 'database down');
  await system.redis.hset(`${system.config.keyPrefix}:drift`, 7, 2);
  metrics.observeSocketConnections(() => 12);
  metrics.onScrape(() => Promise.reject(new Error('database down')));
  const text = await scrape(`http://127.0.0.1:${system.server.port}/metrics`);
  expect(metricValue(text, 'waiting_room_dead_letters')).toBe(2);
  expect(metricValue(text, 'waiting_room_drift', { promotion: '7', counter: 'total' })).toBe(2);
  expect(metricValue(text, 'waiting_room_socket_connections')).toBe(12);
});

test('/metrics on the public port answers 401 without its token (nothing leaks) and 200 with it', async () => {
  system = await startSystem({ METRICS_TOKEN: 'metrics-token-0123456789' }, { withWorker: false });
  const url = `http://127.0.0.1:${system.server.port}/metrics`;
  const bare = await fetch(url);
  expect(bare.status).toBe(401);
  expect(await bare.text()).not.toContain('waiting_room_');
  const asAdmin = await fetch(url, { headers: { authorization: `Bearer ${adminToken}` } });
  expect(asAdmin.status).toBe(401); // a METRICS_TOKEN of its own replaces the admin token here
  const res = await fetch(url, { headers: { authorization: 'Bearer metrics-token-0123456789' } });
  expect(res.status).toBe(200);
  expect(await res.text()).toContain('waiting_room_joins_total');
});

test('with METRICS_PORT, /metrics is served there and the public port answers 404, token or not', async () => {
  system = await startSystem({ METRICS_PORT: '0' }, { withWorker: false });
  const publicUrl = `http://127.0.0.1:${system.server.port}/metrics`;
  expect((await fetch(publicUrl)).status).toBe(404);
  const withToken = await fetch(publicUrl, { headers: { authorization: `Bearer ${adminToken}` } });
  expect(withToken.status).toBe(404);
  expect(system.server.metricsPort).toBeGreaterThan(0);
  const text = await (
    await fetch(`http://127.0.0.1:${system.server.metricsPort ?? 0}/metrics`)
  ).text();
  expect(text).toContain('waiting_room_joins_total');
});
