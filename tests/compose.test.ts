// No Docker engine here: keep docker-compose.yml and the Dockerfile honest by
// reading them: services, ports, health checks, start order, and every app
// variable being one the config schema reads.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { envKeys } from '../core/platform/config';
import { projectRoot } from '../core/platform/paths';

interface Service {
  image?: string;
  build?: unknown;
  command?: string[];
  container_name?: string;
  ports?: string[];
  expose?: string[];
  environment?: Record<string, string>;
  healthcheck?: { test?: string[]; interval?: string; retries?: number };
  depends_on?: Record<string, { condition: string }>;
  deploy?: { replicas?: number };
  profiles?: string[];
  volumes?: string[];
}

const compose = parse(readFileSync(path.join(projectRoot, 'docker-compose.yml'), 'utf8'), {
  merge: true,
}) as { services: Record<string, Service>; volumes: Record<string, unknown> };
const { services } = compose;
const appServices = ['server', 'worker'] as const;
const service = (name: string): Service => {
  const found = services[name];
  if (!found) throw new Error(`docker-compose.yml has no service "${name}"`);
  return found;
};

test('the stack: redis, mysql, server, worker, prometheus, grafana, and k6 under the load profile', () => {
  expect(Object.keys(services).sort()).toEqual([
    'grafana',
    'k6',
    'mysql',
    'prometheus',
    'redis',
    'server',
    'worker',
  ]);
  expect(service('k6').profiles).toEqual(['load']);
  for (const name of ['redis', 'mysql', 'server', 'worker', 'prometheus', 'grafana']) {
    expect(service(name).profiles).toBeUndefined();
  }
});

// A pinned image is a full version (7.4.2, v3.2.1), never "latest" or a bare major
// line such as redis:7-alpine or mysql:8 that changes under a deployment.
const pinnedImage = /^[\w./-]+:v?\d+\.\d+\.\d+(-[\w.]+)?$/;

test('every pulled image is pinned to a specific version', () => {
  for (const [name, s] of Object.entries(services)) {
    if (s.build !== undefined) continue; // built here from the Dockerfile
    expect(
      `${name}: ${pinnedImage.test(s.image ?? '') ? 'pinned' : `${s.image ?? 'no image'} is not pinned`}`,
    ).toBe(`${name}: pinned`);
  }
  for (const bad of ['redis:7-alpine', 'mysql:8', 'grafana/k6:latest', 'node:22-alpine', 'redis']) {
    expect(bad).not.toMatch(pinnedImage);
  }
});

test('Redis keeps its data (AOF on) and never evicts keys', () => {
  const command = service('redis').command?.join(' ') ?? '';
  expect(command).toMatch(/--appendonly yes/);
  expect(command).toMatch(/--maxmemory-policy noeviction/);
  expect(service('redis').volumes?.some((v) => v.endsWith(':/data'))).toBe(true);
});

test('ports: Redis 6379, MySQL 3306, servers 3000 from a host range so replicas do not clash', () => {
  expect(service('redis').ports).toEqual(['127.0.0.1:6379:6379']);
  expect(service('mysql').ports).toEqual(['127.0.0.1:3306:3306']);
  const serverPorts = service('server').ports ?? [];
  expect(serverPorts).toHaveLength(1);
  expect(serverPorts[0]).toMatch(/^\d+-\d+:3000$/);
  const [low, high] = (serverPorts[0]?.split(':')[0] ?? '').split('-').map(Number);
  expect((high ?? 0) - (low ?? 0) + 1).toBeGreaterThanOrEqual(
    service('server').deploy?.replicas ?? 1,
  );
});

test('servers scale: no fixed container name, two replicas by default', () => {
  expect(service('server').container_name).toBeUndefined();
  expect(service('worker').container_name).toBeUndefined();
  expect(service('server').deploy?.replicas).toBe(2);
});

test('every service has a health check, and the app waits for healthy dependencies', () => {
  for (const [name, s] of Object.entries(services)) {
    expect(`${name}: ${s.healthcheck?.test?.[0] ?? 'none'}`).toMatch(/: CMD/);
  }
  for (const name of appServices) {
    expect(service(name).depends_on).toEqual({
      redis: { condition: 'service_healthy' },
      mysql: { condition: 'service_healthy' },
    });
  }
  expect(service('k6').depends_on?.server).toEqual({ condition: 'service_healthy' });
  // The app's probes hit the endpoints the app serves.
  expect(service('server').healthcheck?.test?.join(' ')).toContain('127.0.0.1:3000/readyz');
  expect(service('worker').healthcheck?.test?.join(' ')).toContain(
    `127.0.0.1:${service('worker').environment?.WORKER_METRICS_PORT ?? '?'}/healthz`,
  );
});

test('every environment variable given to the app is one the config schema reads', () => {
  for (const name of appServices) {
    const env = service(name).environment ?? {};
    expect(Object.keys(env).length).toBeGreaterThan(3);
    for (const key of Object.keys(env))
      expect(`${name}: ${key}`).toBe(
        `${name}: ${(envKeys as readonly string[]).includes(key) ? key : `${key} (not in core/platform/config.ts)`}`,
      );
    expect(env.REDIS_URL).toBe('redis://redis:6379');
    expect(env.NODE_ENV).toBe('production');
  }
  expect(service('server').command).toEqual(['node', 'dist/server/main.js']);
  expect(service('worker').command).toEqual(['node', 'dist/worker/main.js']);
});

test('k6 runs a scenario from load-tests/ against the servers', () => {
  const k6 = service('k6');
  expect(k6.volumes).toContain('./load-tests:/load-tests:ro');
  expect(k6.command?.[0]).toBe('run');
  expect(k6.command?.[1]).toMatch(/^\/load-tests\/.*\.js/);
  expect(k6.environment?.BASE_URL).toBe('http://server:3000');
});

test('Dockerfile: multi-stage, production dependencies only, runs as a non-root user', () => {
  const dockerfile = readFileSync(path.join(projectRoot, 'Dockerfile'), 'utf8');
  // Every stage on one pinned Node.js 22 LTS image (package.json engines stay >=20).
  const bases = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map((m) => m[1] ?? '');
  expect(new Set(bases).size).toBe(1);
  expect(bases[0]).toMatch(pinnedImage);
  expect(bases[0]).toMatch(/^node:22\./);
  const stages = dockerfile.match(/^FROM /gm) ?? [];
  expect(stages.length).toBeGreaterThanOrEqual(2);
  expect(dockerfile).toMatch(/--omit=dev/);
  const finalStage = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
  expect(finalStage).toMatch(/^USER node$/m);
  expect(finalStage).not.toMatch(/npm (ci|install)(?![^\n]*--omit=dev)/);
  for (const needed of ['dist', 'lua', 'server/docs']) expect(finalStage).toContain(needed);
});
