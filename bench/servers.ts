// `npm run bench:servers`: join throughput and CPU per join on one port with
// SERVER_PROCESSES=1 (one plain process) and SERVER_PROCESSES=2 (a node:cluster
// primary and two server processes), rounds alternated, medians; then Redis's side:
// the join script pipelined from one client and Redis's CPU per HTTP join, which
// bound what one Redis core takes. Both servers run all along on one Redis and
// prefix; only the one under load is busy.
// Knobs: BENCH_SECONDS, BENCH_ROUNDS, BENCH_CONNECTIONS (bench/lib/settings.ts).
import { Redis } from 'ioredis';
import { availableParallelism, loadavg } from 'node:os';
import { startDeployment } from '../tests/helpers/deployment';
import { joinMany } from './lib/fill';
import { loadRound, type Round } from './lib/load';
import { loadSettings } from './lib/settings';
import { fixed, grouped, median } from './lib/stats';

const pipelinedJoins = 200_000;

async function main() {
  const settings = loadSettings();
  const { BENCH_SECONDS: seconds, BENCH_ROUNDS: rounds, BENCH_CONNECTIONS: connections } = settings;
  const d = await startDeployment({ servers: 0, workers: 0 });
  const redis = new Redis(settings.REDIS_URL); // for INFO cpu
  try {
    const one = await d.startServer();
    const two = await d.startServerProcesses(2);
    const targets = [
      { label: 'SERVER_PROCESSES=1', port: one.port, pids: [one.proc.pid ?? 0] },
      // The primary's CPU (it accepts every connection and hands it on) counts too.
      { label: 'SERVER_PROCESSES=2', port: two.port, pids: [two.proc.pid ?? 0, ...two.pids] },
    ];
    const id = await d.services.promotion(1_000_000_000, 100, 1000);
    let n = 0;
    const results: Round[][] = [[], []];
    process.stderr.write(
      `load average before: ${loadavg()
        .map((l) => fixed(l, 1))
        .join(' ')}\n`,
    );
    for (let round = 0; round < rounds; round++) {
      // Which goes first alternates, so a burst of outside load does not always hit the same one.
      const order = round % 2 === 0 ? [0, 1] : [1, 0];
      for (const which of order) {
        const target = targets[which];
        if (!target) continue;
        const result = await loadRound(
          {
            label: target.label,
            method: 'POST',
            origin: `http://127.0.0.1:${target.port}`,
            pid: target.pids,
            next: () => ({
              path: '/api/coupon/queue/join',
              body: { promotionId: id, userId: `b${++n}` },
            }),
            expectStatus: (status) => status === 200,
          },
          { seconds, connections, redis },
        );
        results[which]?.push(result);
        process.stderr.write(
          `  round ${round + 1} ${target.label}: ${grouped(result.rps)} joins/s\n`,
        );
      }
    }

    const startedAt = performance.now();
    await joinMany(d.services.room, id, pipelinedJoins, (i) => `pipelined${i}`);
    const pipelinedRate = pipelinedJoins / ((performance.now() - startedAt) / 1000);

    const [ones = [], twos = []] = results;
    const ratios = ones.map((r, i) => (twos[i]?.rps ?? 0) / r.rps);
    const lines = [
      `bench:servers ${new Date().toISOString()}: ${rounds} rounds x ${seconds}s, ${connections} connections, ` +
        `rounds alternated; ${availableParallelism()} cores shared by autocannon, the servers and Redis ` +
        `(and by whatever else runs on this machine: load average after ${loadavg()
          .map((l) => fixed(l, 1))
          .join(' ')}).`,
      '',
      '| servers on one port | joins/s (median) | p99 | server CPU per join (all processes) | Redis CPU per join |',
      '| --- | --- | --- | --- | --- |',
      ...targets.map((t, i) => {
        const rs = results[i] ?? [];
        return (
          `| ${t.label} | ${grouped(median(rs.map((r) => r.rps)))} | ${fixed(median(rs.map((r) => r.p99)))} ms ` +
          `| ${fixed(median(rs.map((r) => r.cpuUsPerRequest)))} µs ` +
          `| ${fixed(median(rs.map((r) => r.redisUsPerRequest)), 1)} µs |`
        );
      }),
      '',
      `2 processes / 1 process, joins/s: ${fixed(median(ratios), 2)}x (median of per-round ratios)`,
      `join script pipelined from one client (no HTTP): ${grouped(pipelinedRate)} joins/s`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await redis.quit();
    await d.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(
    `bench:servers failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exitCode = 1;
});
