// `npm run bench`: figures measured side by side in one run, each a median of
// repeated rounds and a ratio to a baseline from the same run. Reports; never fails.
import autocannon from 'autocannon';
import { Redis } from 'ioredis';
import { spawnEntry } from '../tests/helpers/processes';
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

async function main() {
  const prefix = uniquePrefix();
  const bare = spawnEntry('bench/bareServer.ts', {});
  const server = spawnEntry('server/main.ts', {
    REDIS_URL: redisUrl,
    REDIS_KEY_PREFIX: prefix,
    ADMIN_TOKEN: adminToken,
    PORT: '0',
    LOG_LEVEL: 'info',
  });
  const redis = new Redis(redisUrl);
  try {
    const barePort = await listeningPort(bare, 'listening on');
    const serverPort = await listeningPort(server, 'server listening');
    const base = `http://127.0.0.1:${serverPort}`;
    await fetch(`${base}/api/coupon/queue/init-stock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
      body: JSON.stringify({ promotionId: 1, stock: 1_000_000_000 }),
    });

    const bareRounds: Round[] = [];
    const joinRounds: Round[] = [];
    let round = 0;
    // Alternate the cases so machine noise hits both alike.
    for (let r = 0; r < rounds; r++) {
      bareRounds.push(
        await load(`http://127.0.0.1:${barePort}/bare`, (n) => ({ promotionId: 1, userId: n })),
      );
      round++;
      joinRounds.push(
        await load(`${base}/api/coupon/queue/join`, (n) => ({
          promotionId: 1,
          userId: `b${round}-${n}`,
        })),
      );
    }
    const bareRps = median(bareRounds.map((x) => x.rps));
    const joinRps = median(joinRounds.map((x) => x.rps));
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
    ];
    const table = [
      `bench: ${rounds} rounds x ${seconds}s, ${connections} connections, node ${process.version}, ${new Date().toISOString()}`,
      ...rows.map((row) => `| ${row.join(' | ')} |`),
    ].join('\n');
    report(table, { append: false });
  } finally {
    bare.proc.kill('SIGTERM');
    server.proc.kill('SIGTERM');
    await Promise.all([bare.exited, server.exited]);
    await deletePrefix(redis, prefix);
    await redis.quit();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${String(err)}\n`);
  process.exitCode = 1;
});
