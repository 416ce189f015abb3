// Join throughput with one vs two server processes on one Redis: the same
// total autocannon connections, split over the servers' ports.
// Run: npm run bench:servers  (BENCH_SECONDS, BENCH_CONNECTIONS to change the load)
import autocannon from 'autocannon';
import { startDeployment } from '../tests/helpers/deployment';
import { cpuSeconds } from './lib/load';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 100);

async function joinsPerSecond(
  servers: number,
): Promise<{ rps: number; p99: number; cpuUs: number }> {
  const d = await startDeployment({ servers, workers: 0 });
  try {
    const id = await d.services.promotion(1_000_000_000, 100, 1000);
    let n = 0;
    const serverCpu = () => d.servers.reduce((sum, s) => sum + cpuSeconds(s.proc.pid), 0);
    const cpuBefore = serverCpu();
    const results = await Promise.all(
      d.servers.map((server) =>
        autocannon({
          url: `http://127.0.0.1:${server.port}`,
          method: 'POST',
          connections: Math.ceil(connections / servers),
          duration: seconds,
          headers: { 'content-type': 'application/json' },
          requests: [
            {
              setupRequest: (req) => ({
                ...req,
                path: '/api/coupon/queue/join',
                body: JSON.stringify({ promotionId: id, userId: `b${++n}` }),
              }),
            },
          ],
        }),
      ),
    );
    const failed = results.reduce((sum, r) => sum + r.non2xx + r.errors, 0);
    if (failed > 0) process.stderr.write(`  ${servers} server(s): ${failed} failed requests\n`);
    const served = results.reduce((sum, r) => sum + r.requests.total, 0);
    return {
      rps: results.reduce((sum, r) => sum + r.requests.average, 0),
      p99: Math.max(...results.map((r) => r.latency.p99)),
      // All servers' CPU time per join: what a core of its own per server would buy.
      cpuUs: ((serverCpu() - cpuBefore) * 1e6) / served,
    };
  } finally {
    await d.stop();
  }
}

async function main() {
  const one = await joinsPerSecond(1);
  const two = await joinsPerSecond(2);
  console.log(`join throughput, ${connections} connections, ${seconds} s each`);
  for (const [label, r] of [
    ['1 server ', one],
    ['2 servers', two],
  ] as const) {
    console.log(
      `${label}: ${Math.round(r.rps)} joins/s, p99 ${r.p99} ms, ${Math.round(r.cpuUs)} µs server CPU per join`,
    );
  }
  console.log(`ratio    : ${(two.rps / one.rps).toFixed(2)}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
