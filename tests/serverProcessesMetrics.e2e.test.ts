// SERVER_PROCESSES=2 and /metrics: each process counts in its own registry, and
// the primary merges them, so every scrape counts every join whichever process
// answered it (not one process's share at random), and gauges read from Redis
// are taken once, not once per process. On the public port (with the token, the
// process reached asks the primary) and on METRICS_PORT (served by the primary).
import { api } from './helpers/api';
import { startDeployment, type Deployment } from './helpers/deployment';
import { adminToken } from './helpers/env';
import { metricValue, scrape } from './helpers/prometheus';
import { inParallel, waitFor } from './helpers/wait';

jest.setTimeout(120000);
let d: Deployment;

beforeAll(async () => {
  d = await startDeployment({ servers: 0, workers: 0 });
});
afterAll(() => d.stop());

test.each([
  ['the public port, with the token', {}],
  ['METRICS_PORT, served by the primary', { METRICS_PORT: '0' }],
])('/metrics on %s counts the joins both processes answered', async (_where, extra) => {
  const cluster = await d.startServerProcesses(2, extra);
  const onMetricsPort = 'METRICS_PORT' in extra;
  const url = `http://127.0.0.1:${String(onMetricsPort ? cluster.metricsPort : cluster.port)}/metrics`;
  const id = await d.services.promotion(100, 5, 50);
  const users = Array.from({ length: 24 }, (_, i) => `u${i + 1}`);
  const answers = await inParallel(
    users.map((user) => async () => {
      const r = await api(cluster.port).join(id, user);
      return { status: r.status, pid: Number(r.headers.get('x-server-pid')) };
    }),
    8,
  );
  expect(answers.every((a) => a.status === 200)).toBe(true);
  expect([...new Set(answers.map((a) => a.pid))].sort()).toEqual([...cluster.pids].sort());

  const p = { promotion: String(id) };
  const joinsCounted = (text: string) =>
    metricValue(text, 'http_request_duration_seconds_count', {
      method: 'POST',
      route: '/api/coupon/queue/join',
      status: '200',
    });
  // A request is counted when its response finishes: wait for the last one, once.
  await waitFor(
    () => scrape(url),
    (text) => joinsCounted(text) === users.length,
    { what: 'every join counted' },
  );
  // Connections (and so scrapes) go to either process: each one sees all of them.
  for (let i = 0; i < 4; i++) {
    const text = await scrape(url);
    expect(joinsCounted(text)).toBe(users.length);
    expect(metricValue(text, 'waiting_room_joins_total', { ...p, result: 'joined' })).toBe(
      users.length,
    );
    expect(metricValue(text, 'waiting_room_queue_length', p)).toBe(users.length);
    expect(metricValue(text, 'waiting_room_stock_remaining', p)).toBe(100);
    expect(metricValue(text, 'process_cpu_seconds_total')).toBeGreaterThan(0);
  }
  if (onMetricsPort) {
    const publicPort = await fetch(`http://127.0.0.1:${String(cluster.port)}/metrics`, {
      headers: { authorization: `Bearer ${adminToken}` },
    });
    expect(publicPort.status).toBe(404);
  }

  cluster.proc.kill('SIGTERM');
  const { code } = await cluster.exited;
  // The primary's last lines say which process did not stop cleanly, if one did not.
  const tail = code === 0 ? '' : (cluster.stdout() + cluster.stderr()).slice(-4000);
  expect({ code, tail }).toEqual({ code: 0, tail: '' });
});
