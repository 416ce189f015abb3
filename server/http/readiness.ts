// Readiness: named checks behind /readyz (Redis now; the database and its
// migrations register theirs), and a gate that answers 503 at once when Redis
// is away instead of letting a request wait on a reconnecting connection.
import type { RequestHandler } from 'express';
import type { RedisClient } from '../../core/platform/redis';
import { AppError, ErrorCode } from '../../core/platform/errors';
import { withTimeout } from '../../core/platform/timeout';

export type Check = () => Promise<void>;

export interface ReadinessReport {
  ready: boolean;
  /** "ok", or why the check failed. */
  checks: Record<string, string>;
}

const checkTimeoutMs = 1000;

export class Readiness {
  private readonly checks = new Map<string, Check>();
  private stopping = false;

  constructor(private readonly redis: RedisClient) {
    this.add('redis', async () => {
      if (redis.status !== 'ready') throw new Error(`connection is ${redis.status}`);
      await redis.ping();
    });
  }

  /** Hook: e.g. add('database', () => knex.raw('select 1')) or add('migrations', ...). */
  add(name: string, check: Check): void {
    this.checks.set(name, check);
  }

  /** From now on not ready: a load balancer stops sending while in-flight requests finish. */
  markStopping(): void {
    this.stopping = true;
  }

  async report(): Promise<ReadinessReport> {
    const entries = await Promise.all(
      [...this.checks].map(async ([name, check]): Promise<[string, string]> => {
        try {
          await withTimeout(check(), checkTimeoutMs);
          return [name, 'ok'];
        } catch (err) {
          return [name, err instanceof Error ? err.message : String(err)];
        }
      }),
    );
    const checks = Object.fromEntries(entries);
    if (this.stopping) checks.process = 'shutting down';
    return { ready: Object.values(checks).every((v) => v === 'ok'), checks };
  }

  /** Refuses with 503 while the Redis connection is not ready: no request hangs on it. */
  readonly requireRedis: RequestHandler = (_req, _res, next) => {
    if (this.redis.status === 'ready') {
      next();
      return;
    }
    next(
      new AppError(
        ErrorCode.Unavailable,
        'The waiting room is temporarily unavailable (its data store is unreachable); please retry shortly.',
      ),
    );
  };
}
