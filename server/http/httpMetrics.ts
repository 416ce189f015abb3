// Records every request's latency by method, route pattern and status. The
// route is the matched pattern (`/api/promotions/:id`), never the raw URL, so
// the number of series stays bounded whatever clients send. Called by the
// request log's one 'finish' listener, which already has the duration.
import type { ServerResponse } from 'node:http';
import type { Request } from 'express';
import type { Metrics } from '../../core/metrics/metrics';

export function httpMetrics(metrics: Metrics) {
  return (req: Request, res: ServerResponse, seconds: number): void => {
    const route = (req.route as { path?: unknown } | undefined)?.path;
    metrics.httpDuration.observe(
      {
        method: req.method,
        route: typeof route === 'string' ? req.baseUrl + route : 'unmatched',
        status: String(res.statusCode),
      },
      seconds,
    );
  };
}
