// Marketer and operator endpoints need the admin token: `Authorization: Bearer
// <ADMIN_TOKEN>`, or HTTP Basic with the token as password (any user name), so
// a browser can open the Bull Board page after its own password prompt.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { AppError, ErrorCode } from '../../core/platform/errors';
import { markOperator } from './requestLog';

const digest = (value: string) => createHash('sha256').update(value).digest();

function presentedToken(header: string): string | undefined {
  const bearer = /^Bearer (.+)$/.exec(header);
  if (bearer) return bearer[1];
  const basic = /^Basic ([A-Za-z0-9+/=]+)$/.exec(header);
  if (!basic?.[1]) return undefined;
  const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : decoded.slice(colon + 1);
}

/** A constant-time check of a presented token against the admin token. */
export function isAdminToken(adminToken: string): (token: string) => boolean {
  const expected = digest(adminToken);
  // Comparing digests keeps the comparison constant-time whatever the length.
  return (token) => timingSafeEqual(digest(token), expected);
}

/**
 * `challenge` makes a refusal ask a browser for a password (for HTML pages);
 * `name` is the variable the refusal tells the caller to send (another token, e.g. METRICS_TOKEN).
 */
export function adminAuth(
  adminToken: string,
  { challenge = false, name = 'ADMIN_TOKEN' } = {},
): RequestHandler {
  const matches = isAdminToken(adminToken);
  return (req, res, next) => {
    const token = presentedToken(req.get('authorization') ?? '');
    if (!token || !matches(token)) {
      if (challenge) res.setHeader('WWW-Authenticate', 'Basic realm="waiting-room admin"');
      next(
        new AppError(
          ErrorCode.Unauthorized,
          `This endpoint needs a token: send Authorization: Bearer <${name}>.`,
        ),
      );
      return;
    }
    markOperator(req);
    next();
  };
}
