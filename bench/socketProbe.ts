// The socket bench's probe: a few pages in their own, lightly loaded process, so
// their latencies show the server and Redis rather than a process hosting
// thousands of pages. Reads PROBE_PORT, PROBE_TOKENS (JSON) and PROBE_DEADLINE.
import { pageFleet } from './pages';

async function main() {
  const fleet = pageFleet(Number(process.env.PROBE_PORT));
  const tokens = JSON.parse(process.env.PROBE_TOKENS ?? '[]') as string[];
  await fleet.connect(tokens, 50);
  fleet.progressLatency.length = 0; // only progress sent during the drain
  process.stdout.write('probe ready\n');
  await fleet.allDecided(Number(process.env.PROBE_DEADLINE));
  const { decisions, progressLatency } = fleet;
  process.stdout.write(`probe result ${JSON.stringify({ decisions, progressLatency })}\n`);
  fleet.close();
}

main().catch((err: unknown) => {
  process.stderr.write(`probe failed: ${String(err)}\n`);
  process.exitCode = 1;
});
