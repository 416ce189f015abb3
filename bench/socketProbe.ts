// The socket bench's probe: a few pages in their own, lightly loaded process, so
// their latencies show the server and Redis rather than a process hosting
// thousands of pages. It also subscribes to those pages' Redis channels itself,
// to split each decision's latency into worker + Redis and server + page.
// Reads PROBE_PORT, PROBE_SHOPPERS (JSON [{ token, channel }]), PROBE_REDIS_URL
// and PROBE_DEADLINE.
import { Redis } from 'ioredis';
import { pageFleet } from './pages';

interface ProbeShopper {
  token: string;
  /** The Redis channel the emitter publishes this shopper's events on. */
  channel: string;
  userId: string;
}

async function main() {
  const shoppers = JSON.parse(process.env.PROBE_SHOPPERS ?? '[]') as ProbeShopper[];
  // The second message on a shopper's channel is its decision (the first is PROCESSING).
  const seen = new Map<string, number>();
  const deliveredAt = new Map<string, number>();
  const userOf = new Map(shoppers.map((s) => [s.channel, s.userId]));
  const subscriber = new Redis(process.env.PROBE_REDIS_URL ?? 'redis://127.0.0.1:6379');
  subscriber.on('messageBuffer', (channel: Buffer) => {
    const name = channel.toString();
    const count = (seen.get(name) ?? 0) + 1;
    seen.set(name, count);
    const userId = userOf.get(name);
    if (count === 2 && userId !== undefined) deliveredAt.set(userId, Date.now());
  });
  await subscriber.subscribe(...shoppers.map((s) => s.channel));

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
