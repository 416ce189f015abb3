// A deployment as an operator runs one: several server and worker child processes
// sharing one Redis (prefix) and one database, each killable with kill -9.
import { randomBytes } from 'node:crypto';
import { adminToken, sharedRedisEnv, testDatabaseUrl, uniquePrefix } from './env';
import { spawnEntry, waitForOutput, type Child } from './processes';
import { openTestServices, type TestServices } from './services';

export interface ServerChild extends Child {
  port: number;
}

export interface Deployment {
  env: Record<string, string>;
  /** The test's own services on the same Redis and database. */
  services: TestServices;
  servers: ServerChild[];
  workers: Child[];
  startServer(): Promise<ServerChild>;
  /** One server entry with SERVER_PROCESSES=n: a cluster primary and its n server processes. */
  /** SERVER_PROCESSES=n; metricsPort is the primary's METRICS_PORT when `extra` sets one. */
  startServerProcesses(
    n: number,
    extra?: Record<string, string>,
  ): Promise<ServerChild & { pids: number[]; metricsPort?: number }>;
  startWorker(): Promise<Child>;
  /** kill -9, and the child leaves the list. */
  kill(child: Child): Promise<void>;
  stop(): Promise<void>;
}

export async function startDeployment(
  { servers = 2, workers = 2 } = {},
  overrides: Record<string, string> | ((prefix: string) => Record<string, string>) = {},
): Promise<Deployment> {
  const prefix = uniquePrefix();
  const env: Record<string, string> = {
    ...sharedRedisEnv(),
    DATABASE_URL: testDatabaseUrl(prefix),
    REDIS_KEY_PREFIX: prefix,
    ADMIN_TOKEN: adminToken,
    // Every server must verify the tokens the others signed.
    QUEUE_TOKEN_SECRET: randomBytes(32).toString('base64url'),
    PORT: '0',
    LOG_LEVEL: 'info',
    RATE_LIMIT_ENABLED: 'false',
    RECONCILE_INTERVAL_MS: '0',
    SOLD_OUT_CACHE_MS: '0',
    ...(typeof overrides === 'function' ? overrides(prefix) : overrides),
  };
  // Opened first: it creates the database the children then share.
  const services = await openTestServices(env);
  const deployment: Deployment = {
    env,
    services,
    servers: [],
    workers: [],
    async startServer() {
      const child = spawnEntry('server/main.ts', env);
      const out = await waitForOutput(child, 'server listening');
      const line = out.split('\n').find((l) => l.includes('server listening')) ?? '';
      const port = Number(/"port":(\d+)/.exec(line)?.[1]);
      const server = Object.assign(child, { port });
      deployment.servers.push(server);
      return server;
    },
    async startServerProcesses(n, extra = {}) {
      const child = spawnEntry('server/main.ts', { ...env, ...extra, SERVER_PROCESSES: String(n) });
      const out = await waitForOutput(child, 'server processes listening', 60000);
      const line = out.split('\n').find((l) => l.includes('server processes listening')) ?? '';
      const { port, pids, metricsPort } = JSON.parse(line) as {
        port: number;
        pids: number[];
        metricsPort?: number;
      };
      const server = Object.assign(child, { port, pids, metricsPort });
      deployment.servers.push(server);
      return server;
    },
    async startWorker() {
      const child = spawnEntry('worker/main.ts', env);
      await waitForOutput(child, 'worker started');
      deployment.workers.push(child);
      return child;
    },
    async kill(child) {
      if (child.proc.exitCode === null && child.proc.signalCode === null) {
        child.proc.kill('SIGKILL');
        await child.exited;
      }
      deployment.servers = deployment.servers.filter((s) => s !== child);
      deployment.workers = deployment.workers.filter((w) => w !== child);
    },
    async stop() {
      await Promise.all(
        [...deployment.servers, ...deployment.workers].map((c) => deployment.kill(c)),
      );
      await services.cleanUp();
    },
  };
  try {
    await Promise.all([
      ...Array.from({ length: servers }, () => deployment.startServer()),
      ...Array.from({ length: workers }, () => deployment.startWorker()),
    ]);
  } catch (err) {
    await deployment.stop();
    throw err;
  }
  return deployment;
}
