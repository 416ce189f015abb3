// `npm run bench`: figures measured side by side in one run, each a median of
// repeated rounds and a ratio to a baseline from the same run. Reports; never fails.
import autocannon from 'autocannon';
import { Redis } from 'ioredis';
import { spawnEntry, type Child } from '../tests/helpers/processes';
import { deletePrefix, uniquePrefix } from '../tests/helpers/env';
import { listeningPort, median, report } from './common';

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const adminToken = 'bench-admin-token-0123456789';

interface Round {
  rps: number;
  p99: number;
}

async function load(url: string, body: (n: number) => unknown): Promise<Round> {
  let n = 0;
  const result = await autocannon({
    url,
    method: 'POST',
    connections,
    duration: seconds,
    headers: { 'content-type': 'application/json' },
    requests: [{ setupRequest: (req) => ({ ...req, body: JSON.stringify(body(++n)) }) }],
  });
  if (result.non2xx > 0 || result.errors > 0) {
    process.stderr.write(`  ${url}: ${result.non2xx} non-2xx, ${result.errors} errors\n`);
  }
  return { rps: result.requests.average, p99: result.latency.p99 };
}

/** A server from sources; `limited` turns the rate limiters on with limits never reached. */
function startBenchServer(prefix: string, limited: boolean): Child {
  return spawnEntry('server/main.ts', {
    REDIS_URL: redisUrl,
    REDIS_KEY_PREFIX: prefix,
    ADMIN_TOKEN: adminToken,
    PORT: '0',
    // As in production: one JSON line per request (piped to this process).
    LOG_LEVEL: 'info',
    RATE_LIMIT_ENABLED: String(limited),
    RATE_LIMIT_JOIN_PER_IP: '1000000000',
    RATE_LIMIT_JOIN_PER_USER: '1000000000',
  });
}

async function initSale(base: string): Promise<void> {
  await fetch(`${base}/api/coupon/queue/init-stock`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
    body: JSON.stringify({ promotionId: 1, stock: 1_000_000_000 }),
  });
}

async function main() {
  const prefixes = [uniquePrefix(), uniquePrefix()];
  const bare = spawnEntry('bench/bareServer.ts', {});
  const server = startBenchServer(prefixes[0] ?? '', false);
  const limitedServer = startBenchServer(prefixes[1] ?? '', true);
  const redis = new Redis(redisUrl);
  try {
    const barePort = await listeningPort(bare, 'listening on');
    const base = `http://127.0.0.1:${await listeningPort(server, 'server listening')}`;
    const limitedBase = `http://127.0.0.1:${await listeningPort(limitedServer, 'server listening')}`;
    await initSale(base);
    await initSale(limitedBase);

    const bareRounds: Round[] = [];
    const joinRounds: Round[] = [];
    const limitedRounds: Round[] = [];
    let round = 0;
    // Alternate the cases so machine noise hits all alike.
    for (let r = 0; r < rounds; r++) {
      bareRounds.push(
        await load(`http://127.0.0.1:${barePort}/bare`, (n) => ({ promotionId: 1, userId: n })),
      );
      round++;
      const plain = () =>
        load(`${base}/api/coupon/queue/join`, (n) => ({
          promotionId: 1,
          userId: `b${round}-${n}`,
        }));
      const limited = () =>
        load(`${limitedBase}/api/coupon/queue/join`, (n) => ({
          promotionId: 1,
          userId: `l${round}-${n}`,
        }));
      // Swap the two join cases every round so neither always runs last.
      if (r % 2 === 0) {
        joinRounds.push(await plain());
        limitedRounds.push(await limited());
      } else {
        limitedRounds.push(await limited());
        joinRounds.push(await plain());
      }
    }
    const bareRps = median(bareRounds.map((x) => x.rps));
    const joinRps = median(joinRounds.map((x) => x.rps));
    const limitedRps = median(limitedRounds.map((x) => x.rps));
    const rows = [
      ['case', 'req/s (median)', 'p99 ms (median)', 'ratio to bare'],
      [
        'bare Express JSON endpoint',
        bareRps.toFixed(0),
        median(bareRounds.map((x) => x.p99)).toFixed(1),
        '1.00',
      ],
      [
        'POST /api/coupon/queue/join (distinct shoppers)',
        joinRps.toFixed(0),
        median(joinRounds.map((x) => x.p99)).toFixed(1),
        (joinRps / bareRps).toFixed(2),
      ],
      [
        'POST /api/coupon/queue/join, rate limiters on (per IP + per shopper, never reached)',
        limitedRps.toFixed(0),
        median(limitedRounds.map((x) => x.p99)).toFixed(1),
        (limitedRps / bareRps).toFixed(2),
      ],
    ];
    const table = [
      `bench: ${rounds} rounds x ${seconds}s, ${connections} connections, node ${process.version}, ${new Date().toISOString()}`,
      ...rows.map((row) => `| ${row.join(' | ')} |`),
    ].join('\n');
    report(table, { append: false });
  } finally {
    for (const child of [bare, server, limitedServer]) child.proc.kill('SIGTERM');
    await Promise.all([bare.exited, server.exited, limitedServer.exited]);
    for (const prefix of prefixes) await deletePrefix(redis, prefix);
    await redis.quit();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${String(err)}\n`);
  process.exitCode = 1;
});
