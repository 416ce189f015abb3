// The socket case of `npm run bench`: N pages connected to ONE server process while a
// sale drains at the default rate (100 every second). Reports the time from the
// Redis decision (decidedAt, stamped by the worker) to the event arriving at a
// page, the time a progress message takes to reach the pages, the server's
// memory per connection (RSS slope, from /proc) and CPU. The server, the worker,
// the N pages and a small probe of pages are separate processes on this machine.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { Redis } from 'ioredis';
import { stateBatchChannel } from '../core/room/keys';
import { QueueTokens } from '../core/live/queueToken';
import { WaitingRoom } from '../core/room/waitingRoom';
import { spawnEntry, waitForOutput, type Child } from '../tests/helpers/processes';
import { deletePrefix, uniquePrefix } from '../tests/helpers/env';
import { inParallel } from '../tests/helpers/wait';
import { dropMysqlDatabase } from '../core/db/connection';
import { percentile } from './lib/stats';
import { listeningPort } from './lib/system';
import type { BenchSettings } from './lib/settings';
import { pageFleet, type Arrival } from './pages';

const deadlineMs = 100_000;

/** CPU seconds (user + system) a process has used, from /proc/<pid>/stat. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks
}

function rssKb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
}

const row = (label: string, values: number[]) =>
  `| ${label} | ${values.length} | ${percentile(values, 0.5)} | ${percentile(values, 0.99)} | ${percentile(values, 1)} |`;

const latencies = (arrivals: Arrival[], status?: string) =>
  arrivals.filter((a) => status === undefined || a.status === status).map((a) => a.latency);

export interface SocketFigures {
  /** The detailed table, printed as it is. */
  detail: string;
  completedP50: number;
  completedP99: number;
  /** FAILED in the sold-out sweep, decision -> page (probe). */
  sweepP50: number;
  sweepP99: number;
  perConnectionKb: number;
}

export async function socketBench(
  settings: BenchSettings,
  adminToken: string,
): Promise<SocketFigures> {
  const redisUrl = settings.REDIS_URL;
  const sockets = settings.BENCH_SOCKETS;
  const batchSize = settings.BENCH_SOCKET_BATCH;
  const intervalMs = settings.BENCH_SOCKET_INTERVAL_MS;
  /** 20 ticks of steady drain, then the sold-out sweep fails everyone left in one burst. */
  const stock = Math.min(Math.floor(sockets / 2), batchSize * 20);
  /** Every k-th shopper's page lives in the probe process. */
  const probeEvery = Math.max(1, Math.floor(sockets / 200));
  const deadline = Date.now() + deadlineMs;
  const loadBefore = loadavg()[0] ?? 0;
  const prefix = uniquePrefix();
  const secret = randomBytes(32).toString('base64url');
  const env = {
    REDIS_URL: redisUrl,
    REDIS_KEY_PREFIX: prefix,
    ADMIN_TOKEN: adminToken,
    QUEUE_TOKEN_SECRET: secret,
    DATABASE_URL: `${settings.BENCH_MYSQL_URL}/wr_${prefix}`,
    RATE_LIMIT_ENABLED: 'false',
    PORT: '0',
    LOG_LEVEL: 'info',
    DRAIN_BATCH_SIZE: String(batchSize),
    DRAIN_INTERVAL_MS: String(intervalMs),
  };
  const server = spawnEntry('server/main.ts', env);
  const children: Child[] = [server];
  const redis = new Redis(redisUrl);
  let fleet: ReturnType<typeof pageFleet> | undefined;
  try {
    const port = await listeningPort(server, 'server listening');
    const pid = server.proc.pid ?? 0;
    await fetch(`http://127.0.0.1:${port}/api/coupon/queue/init-stock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
      body: JSON.stringify({ promotionId: 1, stock }),
    });

    // Joined straight on Redis and signed here with the shared secret, so the
    // server's memory holds nothing but the pages when it is measured.
    const room = new WaitingRoom(redis, prefix);
    const signer = new QueueTokens(secret, 3_600_000);
    const joined = await inParallel(
      Array.from({ length: sockets }, (_, i) => async () => {
        const userId = `b${i + 1}`;
        const joined = await room.join(1, userId);
        if (!joined) throw new Error('the bench promotion vanished from Redis');
        const { record } = joined;
        const token = signer.sign({ promotionId: 1, userId, ticket: record.ticket });
        return { userId, token };
      }),
      256,
    );
    const probeShoppers = joined.filter((_, i) => i % probeEvery === 0);
    const fleetTokens = joined.filter((_, i) => i % probeEvery !== 0).map((s) => s.token);

    const probe = spawnEntry('bench/socketProbe.ts', {
      PROBE_PORT: String(port),
      PROBE_SHOPPERS: JSON.stringify(probeShoppers),
      PROBE_CHANNEL: stateBatchChannel(prefix, 1),
      PROBE_REDIS_URL: redisUrl,
      PROBE_DEADLINE: String(deadline),
    });
    children.push(probe);
    await waitForOutput(probe, 'probe ready', 30_000);

    // Memory is the slope between 10% and 100% of the pages, so start-up and
    // first-use costs (JIT, lazily loaded modules) do not count as per-page.
    fleet = pageFleet(port);
    const tenth = Math.floor(fleetTokens.length / 10);
    const connectStart = Date.now();
    await fleet.connect(fleetTokens.slice(0, tenth), 250);
    const rssAtTenth = rssKb(pid);
    await fleet.connect(fleetTokens.slice(tenth), 250);
    const connectMs = Date.now() - connectStart;
    const rssAll = rssKb(pid);
    fleet.progressLatency.length = 0; // only progress sent during the drain

    const drainStart = Date.now();
    const serverCpuStart = cpuSeconds(pid);
    const pagesCpuStart = process.cpuUsage();
    children.push(spawnEntry('worker/main.ts', env));
    const [probeExit] = await Promise.all([probe.exited, fleet.allDecided(deadline)]);
    const drainMs = Date.now() - drainStart;
    const serverCpu = (cpuSeconds(pid) - serverCpuStart) / (drainMs / 1000);
    const pagesUsage = process.cpuUsage(pagesCpuStart);
    const pagesCpu = (pagesUsage.user + pagesUsage.system) / 1000 / drainMs;
    const result = /probe result (.*)/.exec(probe.stdout())?.[1];
    if (probeExit.code !== 0 || !result) throw new Error(`probe failed: ${probe.stderr()}`);
    const probed = JSON.parse(result) as {
      decisions: Arrival[];
      progressLatency: number[];
      legs: { status: string; redis: number; server: number }[];
    };
    /** A decision's two legs: worker + Redis, then server + page. */
    const legRows = (status: string) => {
      const legs = probed.legs.filter((l) => l.status === status);
      return [
        row(
          `  of which decision -> Redis delivery (worker + Redis), ${status}`,
          legs.map((l) => l.redis),
        ),
        row(
          `  of which Redis delivery -> page (server + page), ${status}`,
          legs.map((l) => l.server),
        ),
      ];
    };

    const perConnKb = (rssAll - rssAtTenth) / (fleetTokens.length - tenth);
    const table = [
      `socket bench: ${sockets} pages on one server process (${probeShoppers.length} of them in a separate probe process), stock ${stock}, batch ${batchSize} every ${intervalMs} ms, node ${process.version}, load average before the run ${loadBefore.toFixed(1)}, ${new Date().toISOString()}`,
      '| ms | count | p50 | p99 | max |',
      '| --- | --- | --- | --- | --- |',
      row(
        'probe: decision -> page, COMPLETED (steady drain)',
        latencies(probed.decisions, 'COMPLETED'),
      ),
      row(
        'probe: decision -> page, FAILED (sold-out sweep)',
        latencies(probed.decisions, 'FAILED'),
      ),
      ...legRows('COMPLETED'),
      ...legRows('FAILED'),
      row('probe: progress read -> page', probed.progressLatency),
      row(
        `all ${fleetTokens.length} pages in one process: decision -> page`,
        latencies(fleet.decisions),
      ),
      row(
        `all ${fleetTokens.length} pages in one process: progress -> page`,
        fleet.progressLatency,
      ),
      '',
      `server RSS: ${(rssAtTenth / 1024).toFixed(0)} MB with ${tenth + probeShoppers.length} pages, ${(rssAll / 1024).toFixed(0)} MB with ${sockets}: ${perConnKb.toFixed(1)} KB per connection`,
      `connect + welcome: ${((fleetTokens.length * 1000) / connectMs).toFixed(0)} pages/s; drain to the last decision: ${(drainMs / 1000).toFixed(1)} s`,
      `CPU during the drain (share of one core): server ${(serverCpu * 100).toFixed(0)}%, the process hosting ${fleetTokens.length} pages ${(pagesCpu * 100).toFixed(0)}%`,
    ].join('\n');
    const completed = latencies(probed.decisions, 'COMPLETED');
    const swept = latencies(probed.decisions, 'FAILED');
    return {
      detail: table,
      completedP50: percentile(completed, 0.5),
      completedP99: percentile(completed, 0.99),
      sweepP50: percentile(swept, 0.5),
      sweepP99: percentile(swept, 0.99),
      perConnectionKb: perConnKb,
    };
  } finally {
    fleet?.close();
    for (const child of children) child.proc.kill('SIGTERM');
    await Promise.all(children.map((child) => child.exited));
    await deletePrefix(redis, prefix);
    await redis.quit();
    await dropMysqlDatabase(env.DATABASE_URL);
  }
}
