// No Docker engine here: keep the Prometheus and Grafana files under ops/ honest
// by reading them. Prometheus scrapes what the app serves, Grafana finds its
// datasource and dashboard where compose mounts them, and every series the
// dashboard and the alert rules name is one the product's metrics registry exports.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { Metrics } from '../core/metrics/metrics';
import { projectRoot } from '../core/platform/paths';

interface Service {
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: string[];
}
interface ScrapeConfig {
  job_name: string;
  metrics_path?: string;
  dns_sd_configs?: { names: string[]; type: string; port: number }[];
}
interface Rule {
  alert: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
interface Panel {
  title: string;
  datasource?: { uid: string };
  targets: { expr: string; datasource?: { uid: string } }[];
}

const read = (file: string) => readFileSync(path.join(projectRoot, file), 'utf8');
const readYaml = (file: string): unknown => parse(read(file), { merge: true });

const { services } = readYaml('docker-compose.yml') as { services: Record<string, Service> };
const prometheus = readYaml('ops/prometheus/prometheus.yml') as {
  rule_files: string[];
  scrape_configs: ScrapeConfig[];
};
const rules = (
  readYaml('ops/prometheus/alerts.yml') as { groups: { rules: Rule[] }[] }
).groups.flatMap((group) => group.rules);
const datasources = (
  readYaml('ops/grafana/provisioning/datasources/prometheus.yml') as {
    datasources: { uid: string; type: string; url: string }[];
  }
).datasources;
const providers = (
  readYaml('ops/grafana/provisioning/dashboards/waiting-room.yml') as {
    providers: { options: { path: string } }[];
  }
).providers;
const dashboard = JSON.parse(read('ops/grafana/dashboards/waiting-room.json')) as {
  uid: string;
  panels: Panel[];
};
const panelExprs = dashboard.panels.flatMap((panel) => panel.targets.map((t) => t.expr));

/** The host file behind a path inside a service's container, through its bind mounts. */
function hostFile(serviceName: string, containerPath: string): string | undefined {
  for (const volume of services[serviceName]?.volumes ?? []) {
    const [host, container] = volume.split(':');
    if (!host?.startsWith('./') || !container) continue;
    if (containerPath === container || containerPath.startsWith(`${container}/`)) {
      return path.join(projectRoot, host, containerPath.slice(container.length));
    }
  }
  return undefined;
}

/** Metric names in a PromQL expression: identifiers left once strings, label sets, grouping clauses, ranges and function calls are gone. */
function seriesIn(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b[a-z_]+\s*\(/g, '(');
  const keywords = new Set(['and', 'or', 'unless', 'bool', 'offset']);
  return [...stripped.matchAll(/[A-Za-z_:][\w:]*/g)]
    .map((m) => m[0])
    .filter((name) => !keywords.has(name));
}

/** Every series name /metrics can show, from the real registry with every hook registered. */
async function exportedSeries(): Promise<Set<string>> {
  const metrics = new Metrics();
  metrics.observeDeadLetters(() => Promise.resolve(0));
  metrics.observeDrift(() => Promise.resolve([]));
  metrics.observeSocketConnections(() => 0);
  const text = await metrics.scrape();
  const names = new Set<string>();
  for (const [, name = '', type] of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    // A histogram is only ever queried through its three series.
    if (type === 'histogram')
      for (const suffix of ['_bucket', '_sum', '_count']) names.add(name + suffix);
    else if (type === 'summary')
      for (const suffix of ['', '_sum', '_count']) names.add(name + suffix);
    else names.add(name);
  }
  return names;
}

test('PromQL reading: metric names found, functions, labels, grouping and keywords left out', () => {
  expect(
    seriesIn(
      'histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{route="/a"}[5m]))) > 0.25',
    ),
  ).toEqual(['http_request_duration_seconds_bucket']);
  expect(
    seriesIn(
      'max by (promotion) (a_total) > 0 unless on (promotion) (sum by (promotion) (rate(b[2m])) > 0)',
    ),
  ).toEqual(['a_total', 'b']);
});

test('the registry lists histograms by their series: _bucket, _sum, _count and not the bare name', async () => {
  const exported = await exportedSeries();
  expect(exported.has('http_request_duration_seconds_bucket')).toBe(true);
  expect(exported.has('http_request_duration_seconds')).toBe(false);
  expect(exported.has('waiting_room_dead_letters')).toBe(true);
  expect(exported.has('waiting_room_made_up_total')).toBe(false);
});

test('the dashboard and the alert rules name only series the product exports', async () => {
  const exported = await exportedSeries();
  const named = [...panelExprs, ...rules.map((rule) => rule.expr)].flatMap(seriesIn);
  expect(named.length).toBeGreaterThan(10);
  expect(named.filter((name) => !exported.has(name))).toEqual([]);
});

test('the dashboard shows queue depth, admissions, stock/held/issued, drift, dead letters, join p99, sockets', () => {
  const all = panelExprs.join('\n');
  for (const needed of [
    /waiting_room_queue_length/,
    /rate\(waiting_room_admitted_total/,
    /waiting_room_stock_remaining/,
    /waiting_room_held/,
    /waiting_room_issued\b/,
    /waiting_room_drift/,
    /waiting_room_dead_letters/,
    /histogram_quantile\(0\.99,.*http_request_duration_seconds_bucket\{route="\/api\/coupon\/queue\/join"\}/,
    /waiting_room_socket_connections/,
  ]) {
    expect(all).toMatch(needed);
  }
});

test('alert rules: drift, dead letters, join p99 and nobody admitted while shoppers wait', () => {
  const byName = new Map(rules.map((rule) => [rule.alert, rule]));
  expect(byName.get('WaitingRoomDrift')?.expr).toMatch(/waiting_room_drift.*> 0/);
  expect(byName.get('WaitingRoomDeadLetters')?.expr).toMatch(/waiting_room_dead_letters.*> 0/);
  expect(byName.get('WaitingRoomJoinP99High')?.expr).toMatch(
    /histogram_quantile\(0\.99,.*route="\/api\/coupon\/queue\/join".*> 0\.25/s,
  );
  expect(byName.get('WaitingRoomNobodyAdmitted')?.expr).toMatch(
    /waiting_room_queue_length.*> 0[\s\S]*unless[\s\S]*waiting_room_admitted_total/,
  );
  for (const rule of rules) {
    expect(`${rule.alert}: ${rule.for ?? 'no for'}`).toMatch(/: \d+m$/);
    expect(rule.annotations?.summary).toBeTruthy();
    expect(rule.labels?.severity).toMatch(/^(page|warn)$/);
  }
});

test('Prometheus scrapes every server on its METRICS_PORT (not the public one) and every worker on WORKER_METRICS_PORT', () => {
  const jobs = new Map(prometheus.scrape_configs.map((job) => [job.job_name, job]));
  const target = (job: string) => jobs.get(job)?.dns_sd_configs?.[0];
  expect(target('server')).toMatchObject({ names: ['server'], type: 'A' });
  expect(String(target('server')?.port)).toBe(services.server?.environment?.METRICS_PORT);
  expect(services.server?.environment?.METRICS_PORT).not.toBe(services.server?.environment?.PORT);
  expect(services.server?.ports?.join()).not.toContain(services.server?.environment?.METRICS_PORT);
  expect(target('worker')).toMatchObject({ names: ['worker'], type: 'A' });
  expect(String(target('worker')?.port)).toBe(services.worker?.environment?.WORKER_METRICS_PORT);
  for (const job of jobs.values()) expect(job.metrics_path ?? '/metrics').toBe('/metrics');
});

test('Prometheus loads its config and the alert rules from the files compose mounts', () => {
  const command = services.prometheus?.command ?? [];
  const configPath = command.find((arg) => arg.startsWith('--config.file='))?.split('=')[1] ?? '';
  expect(hostFile('prometheus', configPath)).toBe(
    path.join(projectRoot, 'ops/prometheus/prometheus.yml'),
  );
  expect(prometheus.rule_files).toHaveLength(1);
  const rulesFile = hostFile('prometheus', prometheus.rule_files[0] ?? '');
  expect(rulesFile).toBe(path.join(projectRoot, 'ops/prometheus/alerts.yml'));
});

test('Grafana gets the Prometheus datasource and the dashboard through its provisioning', () => {
  const provisioning = hostFile('grafana', '/etc/grafana/provisioning/datasources/prometheus.yml');
  expect(provisioning && existsSync(provisioning)).toBe(true);
  expect(datasources).toEqual([
    expect.objectContaining({ type: 'prometheus', url: 'http://prometheus:9090' }),
  ]);
  expect(services.prometheus?.ports).toEqual(['127.0.0.1:9090:9090']);
  const dashboards = hostFile('grafana', providers[0]?.options.path ?? '');
  expect(dashboards && existsSync(path.join(dashboards, 'waiting-room.json'))).toBe(true);
  // Every panel and query uses the provisioned datasource.
  const uid = datasources[0]?.uid;
  for (const panel of dashboard.panels) {
    expect(`${panel.title}: ${panel.datasource?.uid ?? 'none'}`).toBe(
      `${panel.title}: ${uid ?? ''}`,
    );
    for (const t of panel.targets) expect(t.datasource?.uid).toBe(uid);
  }
});
