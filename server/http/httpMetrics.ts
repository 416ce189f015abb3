// Records every request's latency by method, route pattern and status. The
// route is the matched pattern (`/api/promotions/:id`), never the raw URL, so
// the number of series stays bounded whatever clients send.
import type { RequestHandler } from 'express';
import type { Metrics } from '../../core/metrics/metrics';

export function httpMetrics(metrics: Metrics): RequestHandler {
  return (req, res, next) => {
    const start = process.hrtime.bigint();
    res.on('finish', () => {
      const route = (req.route as { path?: unknown } | undefined)?.path;
      metrics.httpDuration.observe(
        {
          method: req.method,
          route: typeof route === 'string' ? req.baseUrl + route : 'unmatched',
          status: String(res.statusCode),
        },
        Number(process.hrtime.bigint() - start) / 1e9,
      );
    });
    next();
  };
}
