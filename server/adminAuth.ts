// Marketer and operator endpoints need `Authorization: Bearer <ADMIN_TOKEN>`.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { AppError, ErrorCode } from '../core/errors';

const digest = (value: string) => createHash('sha256').update(value).digest();

export function adminAuth(adminToken: string): RequestHandler {
  const expected = digest(adminToken);
  return (req, _res, next) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer (.+)$/.exec(header);
    // Comparing digests keeps the comparison constant-time whatever the length.
    if (!match?.[1] || !timingSafeEqual(digest(match[1]), expected)) {
      next(
        new AppError(
          ErrorCode.Unauthorized,
          'This endpoint needs the admin token: send Authorization: Bearer <ADMIN_TOKEN>.',
        ),
      );
      return;
    }
    next();
  };
}
