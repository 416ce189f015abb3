// helmet's security headers, worked out once: helmet runs at start against a
// recording response, and each request then gets the recorded headers in one
// loop instead of a chain of fourteen middlewares. Only for static options:
// a directive computed per request (a CSP nonce function) is refused.
// JSON answers under /api/ get the set OWASP's REST Security Cheat Sheet asks
// of an API instead: half as many headers on the hot routes, and no-store, so
// no cache keeps a shopper's coupon code or queue token.
import { IncomingMessage, type ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import type { RequestHandler } from 'express';
import helmet, { type HelmetOptions } from 'helmet';

interface HeaderSet {
  set: readonly (readonly [name: string, value: string])[];
  removed: readonly string[];
}

/** True when an option is a function: helmet would call it with each request. */
function perRequest(value: unknown): boolean {
  if (typeof value === 'function') return true;
  return typeof value === 'object' && value !== null && Object.values(value).some(perRequest);
}

/** The headers helmet sets and removes with these options, in its order. */
function helmetHeaders(options: HelmetOptions): HeaderSet {
  const set: [string, string][] = [];
  const removed: string[] = [];
  const recorder = {
    setHeader(name: string, value: unknown) {
      set.push([name, String(value)]);
      return recorder;
    },
    removeHeader(name: string) {
      removed.push(name);
    },
  };
  if (perRequest(options)) {
    throw new Error('securityHeaders: a directive computed per request needs helmet itself');
  }
  // An object, not two lets: the callback's writes are invisible to narrowing.
  const outcome: { finished: boolean; failure?: unknown } = { finished: false };
  helmet(options)(
    new IncomingMessage(new Socket()),
    recorder as unknown as ServerResponse,
    (err?: unknown) => {
      outcome.finished = true;
      outcome.failure = err;
    },
  );
  if (!outcome.finished || outcome.failure !== undefined) {
    const { failure } = outcome;
    const why = failure instanceof Error ? failure.message : 'it did not finish at once';
    throw new Error(`securityHeaders: helmet refused these options (${why})`);
  }
  return { set, removed };
}

/** The API's set: nothing to render or frame, never cached; helmet's HSTS, CORP and nosniff. */
function apiHeaders(page: HeaderSet): HeaderSet {
  const kept = new Set([
    'Strict-Transport-Security',
    'Cross-Origin-Resource-Policy',
    'X-Content-Type-Options',
  ]);
  return {
    set: [
      ['Cache-Control', 'no-store'],
      ['Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'"],
      ['X-Frame-Options', 'DENY'],
      ...page.set.filter(([name]) => kept.has(name)),
    ],
    removed: page.removed,
  };
}

const apiPrefix = '/api/';

export function securityHeaders(options: HelmetOptions): RequestHandler {
  const page = helmetHeaders(options);
  const api = apiHeaders(page);
  return (req, res, next) => {
    const { set, removed } = req.url.startsWith(apiPrefix) ? api : page;
    for (const [name, value] of set) res.setHeader(name, value);
    for (const name of removed) res.removeHeader(name);
    next();
  };
}
