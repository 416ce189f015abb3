// The seed's { success, message, data } envelope, input validation that names
// the bad field, and the one error handler.
import type { ErrorRequestHandler, Response } from 'express';
import type { z } from 'zod';
import { AppError, ErrorCode } from '../../core/platform/errors';
import type { Logger } from '../../core/platform/logger';

/**
 * Writes a JSON answer directly: no ETag (answers are live, never revalidated)
 * and none of res.json's settings lookups, on the routes every shopper calls.
 */
function reply(res: Response, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(body));
}

export function sendOk(res: Response, message: string, data: unknown, status = 200): void {
  reply(res, status, { success: true, message, data });
}

export function sendError(res: Response, err: AppError): void {
  const retryAfter = err.data?.retryAfterSeconds;
  if (err.code === ErrorCode.RateLimited && typeof retryAfter === 'number') {
    res.setHeader('Retry-After', String(retryAfter));
  }
  reply(res, err.status, { success: false, message: err.message, code: err.code, data: err.data });
}

/** Parses input with a zod schema or throws a 400 AppError naming each bad field. */
export function validate<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const field = issue.path.join('.');
    return field ? `${field} ${issue.message}` : issue.message;
  });
  throw new AppError(ErrorCode.BadRequest, `Invalid request: ${problems.join('; ')}.`);
}

/** Body-parser errors (bad JSON, too large) carry a 4xx status and a safe message. */
function isClientHttpError(
  err: unknown,
): err is { status: number; message: string; type?: string } {
  if (typeof err !== 'object' || err === null) return false;
  const status = (err as { status?: unknown }).status;
  return typeof status === 'number' && status >= 400 && status < 500;
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    if (err instanceof AppError) {
      sendError(res, err);
      return;
    }
    if (isClientHttpError(err)) {
      const message =
        err.type === 'entity.parse.failed'
          ? 'Invalid request: the body is not valid JSON.'
          : `Invalid request: ${err.message}.`;
      reply(res, err.status, { success: false, message, code: ErrorCode.BadRequest, data: null });
      return;
    }
    logger.error({ err, reqId: req.id }, 'request failed');
    reply(res, 503, {
      success: false,
      message: 'The waiting room is temporarily unavailable; please retry shortly.',
      code: ErrorCode.Unavailable,
      data: null,
    });
  };
}
