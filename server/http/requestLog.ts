// The access log and HTTP metrics in one middleware, cheap enough for the hot
// routes: a request id (a caller's X-Request-Id when it looks like one, else a
// fresh UUID) echoed back, and one 'finish' listener shared by every request, so
// a request costs no closure and no child logger. Every request is counted in
// metrics; what is logged: errors (5xx), slow requests, refusals other than a
// shopper's 409 (SOLD_OUT, ALREADY_PROCESSED...: answers, not faults), every
// operator request (one the admin token was accepted for: markOperator), and a
// sampled share of the rest, shoppers' successes with their own tokens included.
// Headers are not logged and token-like query values are masked.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request, RequestHandler } from 'express';
import type { Logger } from '../../core/platform/logger';

declare module 'http' {
  interface IncomingMessage {
    /** This request's id: in X-Request-Id and in every line logged about it. */
    id?: string;
    /** performance.now() when the request log first saw it. */
    startedAt?: number;
    /** The admin token was accepted for it: always logged. */
    operator?: boolean;
  }
}

/** Says the request is an operator's (the admin token was accepted), so it is always logged. */
export function markOperator(req: IncomingMessage): void {
  req.operator = true;
}

const requestIdPattern = /^[A-Za-z0-9._:-]{1,128}$/;
const quietPaths = new Set(['/healthz', '/readyz', '/metrics']);
const secretParam = /([?&][^=&]*(?:token|secret|password|auth)[^=&]*=)[^&]*/gi;
/** A request slower than this is always logged (warn). */
export const slowRequestMs = 500;

const pathOf = (url: string) => {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
};

/** Masks the values of query parameters whose names suggest a secret. */
export function redactUrl(url: string): string {
  return url.replace(secretParam, '$1[redacted]');
}

export interface RequestLogOptions {
  /** Share (0-1) of the sampled requests that is logged: 0 none, 1 all. */
  sample: number;
  /** Called once per finished request with its duration (metrics). */
  record?: (req: Request, res: ServerResponse, seconds: number) => void;
  /** Clock in ms (tests make requests slow with it). */
  now?: () => number;
}

type Level = 'error' | 'warn' | 'info';

export function requestLog(logger: Logger, options: RequestLogOptions): RequestHandler {
  const { sample, record } = options;
  const now = options.now ?? (() => performance.now());

  /** Which line, if any, a finished request gets. */
  const levelOf = (req: Request, status: number, ms: number): Level | null => {
    if (status >= 500) return 'error';
    if (ms >= slowRequestMs) return 'warn';
    if (status >= 400 && status !== 409) return 'info';
    if (req.operator === true) return 'info';
    return sample > 0 && Math.random() < sample ? 'info' : null;
  };

  // A listener called with `this` as the response: one function for every request.
  function finished(this: ServerResponse) {
    const req = this.req as Request;
    const ms = now() - (req.startedAt ?? 0);
    record?.(req, this, ms / 1000);
    const level = levelOf(req, this.statusCode, ms);
    if (level === null || quietPaths.has(pathOf(req.originalUrl))) return;
    logger[level](
      {
        req: { id: req.id, method: req.method, url: redactUrl(req.originalUrl), ip: req.ip },
        res: { status: this.statusCode },
        responseTime: Math.round(ms),
      },
      'request completed',
    );
  }

  return (req, res, next) => {
    req.startedAt = now();
    const given = req.headers['x-request-id'];
    const id = typeof given === 'string' && requestIdPattern.test(given) ? given : randomUUID();
    req.id = id;
    res.setHeader('X-Request-Id', id);
    res.on('finish', finished);
    next();
  };
}
