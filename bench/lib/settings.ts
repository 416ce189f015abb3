// The bench's knobs, read once from the environment with zod (the bench is a tool,
// not the product, so it does not go through core/platform/config.ts).
import { z } from 'zod';

const count = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const schema = z.object({
  REDIS_URL: z.string().default('redis://127.0.0.1:6379'),
  /** Seconds of load per round of an HTTP case. */
  BENCH_SECONDS: count(5),
  /** Rounds per case; each figure is the median over them. */
  BENCH_ROUNDS: count(3),
  /** Concurrent HTTP connections autocannon keeps open. */
  BENCH_CONNECTIONS: count(50),
  /** Waiting shoppers joined for the Redis memory figure. */
  BENCH_MEMORY_SHOPPERS: count(1_000_000),
  /** Waiting shoppers the drain case decides and persists. */
  BENCH_DRAIN_SHOPPERS: count(100_000),
  /** Waiting shoppers the events case drains through a real worker, per round and variant. */
  BENCH_EVENTS_SHOPPERS: count(20_000),
  /** MariaDB/MySQL server (no database name): each run makes and drops its own databases. */
  BENCH_MYSQL_URL: z.string().default('mysql://root@127.0.0.1:3306'),
  /** Pages connected to one server in the socket case (mind `ulimit -n`). */
  BENCH_SOCKETS: count(10_000),
  BENCH_SOCKET_BATCH: count(100),
  BENCH_SOCKET_INTERVAL_MS: count(1000),
  /** The crowd case: new shoppers a second (a constant arrival rate) for one unit, and for how long. */
  BENCH_CROWD_RATE: count(4000),
  BENCH_CROWD_SECONDS: count(10),
  /** Comma-separated case ids to run (default: all). */
  BENCH_CASES: z.string().optional(),
  /** Seconds of load while profiling. */
  BENCH_PROFILE_SECONDS: count(10),
});

export type BenchSettings = z.infer<typeof schema>;

export function loadSettings(env: NodeJS.ProcessEnv = process.env): BenchSettings {
  const parsed = schema.safeParse(
    Object.fromEntries(Object.entries(env).filter(([, value]) => value !== '')),
  );
  if (!parsed.success) {
    throw new Error(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n'));
  }
  return parsed.data;
}
