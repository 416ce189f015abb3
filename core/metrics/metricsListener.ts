// The /metrics listener of a process without an API (the worker, a cluster's
// primary on METRICS_PORT), and what it answers from.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a /metrics listener answers from: one process's registry, or a cluster's merged view. */
export interface ScrapeSource {
  readonly contentType: string;
  scrape(): Promise<string>;
}

/**
 * A bare HTTP listener for a process without an API (the worker): GET /metrics
 * and GET /healthz. Resolves with its port and a close function.
 */
export async function listenMetrics(
  metrics: ScrapeSource,
  port: number,
): Promise<{ port: number; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/metrics') {
      metrics.scrape().then(
        (text) => {
          res.writeHead(200, { 'content-type': metrics.contentType }).end(text);
        },
        () => res.writeHead(500).end(),
      );
      return;
    }
    if (req.method === 'GET' && req.url === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(port, '0.0.0.0', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}
