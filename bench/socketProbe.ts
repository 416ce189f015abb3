// The socket bench's probe: a few pages in their own, lightly loaded process, so
// their latencies show the server and Redis rather than a process hosting
// thousands of pages. It also subscribes to the promotion's batch channel itself,
// to split each decision's latency into worker + Redis and server + page.
// Reads PROBE_PORT, PROBE_SHOPPERS (JSON [{ token, userId }]), PROBE_CHANNEL,
// PROBE_REDIS_URL and PROBE_DEADLINE.
import { Redis } from 'ioredis';
import { parseStateBatch } from '../server/stateBatches';
import { pageFleet } from './pages';

interface ProbeShopper {
  token: string;
  userId: string;
}

async function main() {
  const shoppers = JSON.parse(process.env.PROBE_SHOPPERS ?? '[]') as ProbeShopper[];
  // When Redis delivered each probed shopper's decision (not PROCESSING) here.
  const deliveredAt = new Map<string, number>();
  const probed = new Set(shoppers.map((s) => s.userId));
  const subscriber = new Redis(process.env.PROBE_REDIS_URL ?? 'redis://127.0.0.1:6379');
  subscriber.on('messageBuffer', (_channel: Buffer, message: Buffer) => {
    const now = Date.now();
    for (const u of parseStateBatch(message) ?? []) {
      if (u.status !== 'PROCESSING' && probed.has(u.userId)) deliveredAt.set(u.userId, now);
    }
  });
  await subscriber.subscribe(process.env.PROBE_CHANNEL ?? '');

  const fleet = pageFleet(Number(process.env.PROBE_PORT));
  await fleet.connect(
    shoppers.map((s) => s.token),
    50,
  );
  fleet.progressLatency.length = 0; // only progress sent during the drain
  process.stdout.write('probe ready\n');
  await fleet.allDecided(Number(process.env.PROBE_DEADLINE));
  const { decisions, progressLatency } = fleet;
  // Split: decidedAt -> Redis delivered it here; delivered -> the page got it.
  const legs = decisions.flatMap((d) => {
    const delivered = deliveredAt.get(d.userId);
    if (delivered === undefined) return [];
    const decidedAt = d.at - d.latency;
    return [{ status: d.status, redis: delivered - decidedAt, server: d.at - delivered }];
  });
  process.stdout.write(`probe result ${JSON.stringify({ decisions, progressLatency, legs })}\n`);
  fleet.close();
  subscriber.disconnect();
}

main().catch((err: unknown) => {
  process.stderr.write(`probe failed: ${String(err)}\n`);
  process.exitCode = 1;
});
