// One JSON log line per request (pino-http) with a request id: a caller's
// X-Request-Id is kept when it looks like an id, otherwise one is made, and it
// is echoed back. Headers are not logged and token-like query values are masked.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request } from 'express';
import { pinoHttp } from 'pino-http';
import type { Logger } from '../../core/platform/logger';

const requestIdPattern = /^[A-Za-z0-9._:-]{1,128}$/;
const quietPaths = new Set(['/healthz', '/readyz', '/metrics']);
const secretParam = /([?&][^=&]*(?:token|secret|password|auth)[^=&]*=)[^&]*/gi;

/** Masks the values of query parameters whose names suggest a secret. */
export function redactUrl(url: string): string {
  return url.replace(secretParam, '$1[redacted]');
}

function requestId(req: IncomingMessage, res: ServerResponse): string {
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && requestIdPattern.test(given) ? given : randomUUID();
  res.setHeader('X-Request-Id', id);
  return id;
}

export function requestLog(logger: Logger) {
  return pinoHttp({
    logger,
    genReqId: requestId,
    autoLogging: { ignore: (req) => quietPaths.has(req.url?.split('?')[0] ?? '') },
    customLogLevel: (_req, res, err) =>
      err !== undefined || res.statusCode >= 500 ? 'error' : 'info',
    wrapSerializers: false,
    serializers: {
      req: (req: Request) => ({
        id: req.id,
        method: req.method,
        url: redactUrl(req.originalUrl),
        ip: req.ip,
      }),
      res: (res: ServerResponse) => ({ status: res.statusCode }),
    },
  });
}
