// The processes a bench run measures: the bare Express baseline and the real
// server, as child processes on free ports against the local Redis.
import { Redis } from 'ioredis';
import { dropMysqlDatabase } from '../../core/db/connection';
import { WaitingRoom } from '../../core/room/waitingRoom';
import { spawnEntry, waitForOutput, type Child } from '../../tests/helpers/processes';
import { deletePrefix, uniquePrefix } from '../../tests/helpers/env';
import type { BenchSettings } from './settings';

export const adminToken = 'bench-admin-token-0123456789';

export interface BenchSystem {
  settings: BenchSettings;
  /** Key prefix of this run: the server's keys and the bench's own. */
  prefix: string;
  /** The bench's own Redis connection, for setup and measurement. */
  redis: Redis;
  /** The waiting room on that connection: fast, pipelined setup without HTTP. */
  room: WaitingRoom;
  serverOrigin: string;
  bareOrigin: string;
  /** The same server with its rate limiters on (limits never reached), for their cost. */
  limitedOrigin: string;
  /** Process ids, to measure CPU time per request. */
  serverPid: number | undefined;
  barePid: number | undefined;
  limitedPid: number | undefined;
  /** A drain worker on this run's Redis and database; resolves to its stop (else stopped with the rest). */
  startWorker(): Promise<() => Promise<void>>;
  /** Another server on this run's Redis and database, with env overrides; stopped with the rest. */
  extraServer(env: Record<string, string>): Promise<{ origin: string; pid: number | undefined }>;
  /** Admin call to the server (init-stock and info). */
  admin(path: string, body?: unknown): Promise<unknown>;
  stop(): Promise<void>;
}

export async function listeningPort(child: Child, text: string): Promise<number> {
  const output = await waitForOutput(child, text);
  const match = /"port":(\d+)|listening on (\d+)/.exec(output);
  return Number(match?.[1] ?? match?.[2]);
}

export interface StartOptions {
  /** Extra node flags for the server child (e.g. --cpu-prof). */
  serverNodeArgs?: string[];
  /** Extra node flags for the bare baseline child. */
  bareNodeArgs?: string[];
  /** Extra node flags for servers a case starts with extraServer (e.g. signed mode). */
  extraNodeArgs?: string[];
}

export async function startBenchSystem(
  settings: BenchSettings,
  { serverNodeArgs = [], bareNodeArgs = [], extraNodeArgs = [] }: StartOptions = {},
): Promise<BenchSystem> {
  const prefix = uniquePrefix();
  const redis = new Redis(settings.REDIS_URL);
  const children: Child[] = [];
  const bare = spawnEntry('bench/lib/bareServer.ts', {}, bareNodeArgs);
  children.push(bare);
  const serverEnv = {
    REDIS_URL: settings.REDIS_URL,
    REDIS_KEY_PREFIX: prefix,
    ADMIN_TOKEN: adminToken,
    DATABASE_URL: `${settings.BENCH_MYSQL_URL}/wr_${prefix}`,
    // autocannon is one address; the limiters' own cost is measured on `limited`.
    RATE_LIMIT_ENABLED: 'false',
    PORT: '0',
    LOG_LEVEL: 'info',
  };
  const server = spawnEntry('server/main.ts', serverEnv, serverNodeArgs);
  children.push(server);
  const huge = String(1_000_000_000);
  const limited = spawnEntry('server/main.ts', {
    ...serverEnv,
    RATE_LIMIT_ENABLED: 'true',
    RATE_LIMIT_JOIN_PER_IP: huge,
    RATE_LIMIT_JOIN_PER_USER: huge,
    RATE_LIMIT_STATUS_PER_IP: huge,
    RATE_LIMIT_STATUS_PER_USER: huge,
    RATE_LIMIT_ADMIN_PER_IP: huge,
  });
  children.push(limited);

  const stop = async () => {
    for (const child of children) child.proc.kill('SIGTERM');
    await Promise.all(children.map((child) => child.exited));
    await deletePrefix(redis, prefix);
    await redis.quit();
    await dropMysqlDatabase(`${settings.BENCH_MYSQL_URL}/wr_${prefix}`);
  };
  try {
    const serverOrigin = `http://127.0.0.1:${await listeningPort(server, 'server listening')}`;
    const bareOrigin = `http://127.0.0.1:${await listeningPort(bare, 'listening on')}`;
    const limitedOrigin = `http://127.0.0.1:${await listeningPort(limited, 'server listening')}`;
    return {
      settings,
      prefix,
      redis,
      room: new WaitingRoom(redis, prefix),
      serverOrigin,
      bareOrigin,
      limitedOrigin,
      serverPid: server.proc.pid,
      barePid: bare.proc.pid,
      limitedPid: limited.proc.pid,
      async startWorker() {
        const worker = spawnEntry('worker/main.ts', serverEnv);
        children.push(worker);
        await waitForOutput(worker, 'worker started');
        return async () => {
          worker.proc.kill('SIGTERM');
          await worker.exited;
        };
      },
      async extraServer(env) {
        const extra = spawnEntry('server/main.ts', { ...serverEnv, ...env }, extraNodeArgs);
        children.push(extra);
        const origin = `http://127.0.0.1:${await listeningPort(extra, 'server listening')}`;
        return { origin, pid: extra.proc.pid };
      },
      async admin(path, body) {
        const res = await fetch(serverOrigin + path, {
          method: body === undefined ? 'GET' : 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        if (!res.ok) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
        return ((await res.json()) as { data: unknown }).data;
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
