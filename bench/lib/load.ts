// One round of HTTP load with autocannon: a spec says what each request is.
import autocannon from 'autocannon';

export interface LoadSpec {
  /** Shown in warnings. */
  label: string;
  method: 'GET' | 'POST';
  /** Origin, e.g. http://127.0.0.1:1234 */
  origin: string;
  /** The next request: its path and, for POST, its JSON body. Called once per request. */
  next(): { path: string; body?: unknown };
  /** Statuses this load is meant to get (anything else is reported). */
  expectStatus: (status: number) => boolean;
}

export interface Round {
  rps: number;
  p99: number;
}

export async function loadRound(
  spec: LoadSpec,
  options: { seconds: number; connections: number },
): Promise<Round> {
  const result = await autocannon({
    url: spec.origin,
    method: spec.method,
    connections: options.connections,
    duration: options.seconds,
    headers: { 'content-type': 'application/json' },
    requests: [
      {
        setupRequest: (req) => {
          const { path, body } = spec.next();
          return body === undefined
            ? { ...req, path }
            : { ...req, path, body: JSON.stringify(body) };
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
  return { rps: result.requests.average, p99: result.latency.p99 };
}
