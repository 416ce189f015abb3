// One round of HTTP load with autocannon: a spec says what each request is.
import autocannon from 'autocannon';
import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';

export interface LoadSpec {
  /** Shown in warnings. */
  label: string;
  method: 'GET' | 'POST';
  /** Origin, e.g. http://127.0.0.1:1234 */
  origin: string;
  /** The next request: its path, for POST its JSON body, and extra headers. Called once per request. */
  next(): { path: string; body?: unknown; headers?: Record<string, string> };
  /** Statuses this load is meant to get (anything else is reported). */
  expectStatus: (status: number) => boolean;
  /** The process serving it (or all of them: a cluster), to measure CPU time per request. */
  pid?: number | readonly number[] | undefined;
}

export interface Round {
  rps: number;
  p99: number;
  /** CPU time (user + system) the serving process(es) spent per request, µs; NaN if unknown. */
  cpuUsPerRequest: number;
  /** Redis's CPU time per request, µs (INFO cpu: includes any other client of this Redis). */
  redisUsPerRequest: number;
  /** Requests sent and answered, and those answered with a status the spec does not expect (or not at all). */
  sent: number;
  answered: number;
  failed: number;
  p50: number;
}

/** Redis's own CPU seconds so far (user + system), from INFO cpu. */
async function redisCpuSeconds(redis: Redis): Promise<number> {
  const info = await redis.info('cpu');
  const field = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1]);
  return field('used_cpu_user') + field('used_cpu_sys');
}

/** Linux's clock tick for /proc/<pid>/stat times (USER_HZ, 100 on every mainstream kernel). */
const ticksPerSecond = 100;

/** CPU seconds a process (or several, summed) has used so far, from /proc (Linux); NaN elsewhere. */
export function cpuSeconds(pid: number | readonly number[] | undefined): number {
  if (pid === undefined) return Number.NaN;
  if (typeof pid !== 'number') return pid.reduce((sum, one) => sum + cpuSeconds(one), 0);
  try {
    // Fields after the ")" that ends the command name: state is 3rd, utime 14th, stime 15th.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
  } catch {
    return Number.NaN;
  }
}

export async function loadRound(
  spec: LoadSpec,
  options: {
    seconds: number;
    connections: number;
    redis: Redis;
    /** A constant arrival rate (requests a second over all connections), as k6's; else as fast as answered. */
    rate?: number;
  },
): Promise<Round> {
  const redisBefore = await redisCpuSeconds(options.redis);
  const cpuBefore = cpuSeconds(spec.pid);
  const result = await autocannon({
    url: spec.origin,
    method: spec.method,
    connections: options.connections,
    duration: options.seconds,
    // At a fixed rate, latencies as k6 reports them: each request's own duration;
    // arrivals that found every connection busy are not sent (k6's dropped iterations).
    ...(options.rate === undefined
      ? {}
      : { overallRate: options.rate, ignoreCoordinatedOmission: true }),
    headers: { 'content-type': 'application/json' },
    requests: [
      {
        setupRequest: (req) => {
          const { path, body, headers } = spec.next();
          const withHeaders = headers ? { ...req, headers: { ...req.headers, ...headers } } : req;
          return body === undefined
            ? { ...withHeaders, path }
            : { ...withHeaders, path, body: JSON.stringify(body) };
        },
      },
    ],
  });
  const unexpected = Object.entries(result.statusCodeStats ?? {})
    .filter(([status]) => !spec.expectStatus(Number(status)))
    .reduce((sum, [, stat]) => sum + (stat.count ?? 0), 0);
  if (unexpected > 0 || result.errors > 0 || result.timeouts > 0) {
    process.stderr.write(
      `  ${spec.label}: ${unexpected} unexpected statuses, ${result.errors} errors, ${result.timeouts} timeouts\n`,
    );
  }
  const cpuUs = (cpuSeconds(spec.pid) - cpuBefore) * 1e6;
  const redisUs = ((await redisCpuSeconds(options.redis)) - redisBefore) * 1e6;
  const requests = Math.max(1, result.requests.total);
  return {
    rps: result.requests.average,
    p99: result.latency.p99,
    cpuUsPerRequest: cpuUs / requests,
    redisUsPerRequest: redisUs / requests,
    sent: result.requests.sent,
    answered: result.requests.total,
    failed: unexpected + result.errors + result.timeouts,
    p50: result.latency.p50,
  };
}
