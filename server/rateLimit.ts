// Rate limits per IP and per shopper (rate-limiter-flexible). Each limiter has
// two stages so the join path never waits for a second Redis round trip:
// an in-memory limiter decides at once, and the same hit is counted in Redis
// off the request path (pipelined with the request's own script on the same
// connection). When Redis says a key is over the limit across all servers,
// the key is blocked in memory for the rest of the window.
import type { RequestHandler } from 'express';
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { RateLimitConfig } from '../core/config';
import { AppError, ErrorCode } from '../core/errors';
import type { Metrics } from '../core/metrics';

export type LimiterName = 'join-ip' | 'join-user' | 'status-ip' | 'status-user' | 'admin-ip';

export interface Limiter {
  /** Counts one hit for `key`; throws a 429 AppError (with retryAfterSeconds) when over. */
  consume(key: string): Promise<void>;
}

const unlimited: Limiter = { consume: () => Promise.resolve() };

function limitedError(name: LimiterName, msBeforeNext: number): AppError {
  const retryAfterSeconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
  return new AppError(
    ErrorCode.RateLimited,
    `Too many requests (${name}); retry in ${retryAfterSeconds} s.`,
    { retryAfterSeconds },
  );
}

class TwoStageLimiter implements Limiter {
  private readonly local: RateLimiterMemory;
  private readonly shared: RateLimiterRedis;

  constructor(
    private readonly name: LimiterName,
    points: number,
    windowSeconds: number,
    redis: Redis,
    keyPrefix: string,
    private readonly onLimited: (name: LimiterName) => void,
  ) {
    this.local = new RateLimiterMemory({ points, duration: windowSeconds });
    this.shared = new RateLimiterRedis({
      storeClient: redis,
      points,
      duration: windowSeconds,
      keyPrefix: `${keyPrefix}:rl:${name}`,
      // A Redis outage must not stall requests: the memory stage goes on deciding alone.
      rejectIfRedisNotReady: true,
    });
  }

  async consume(key: string): Promise<void> {
    try {
      await this.local.consume(key);
    } catch (refusal) {
      if (!(refusal instanceof RateLimiterRes)) throw refusal;
      this.onLimited(this.name);
      throw limitedError(this.name, refusal.msBeforeNext);
    }
    // Not awaited: the shared count only tightens later decisions.
    this.shared.consume(key).catch((refusal: unknown) => {
      if (refusal instanceof RateLimiterRes && refusal.msBeforeNext > 0) {
        void this.local.block(key, refusal.msBeforeNext / 1000);
      }
    });
  }
}

export type Limiters = Record<LimiterName, Limiter>;

export function createLimiters(
  config: RateLimitConfig,
  redis: Redis,
  keyPrefix: string,
  metrics: Metrics,
): Limiters {
  const points: Record<LimiterName, number> = {
    'join-ip': config.joinPerIp,
    'join-user': config.joinPerUser,
    'status-ip': config.statusPerIp,
    'status-user': config.statusPerUser,
    'admin-ip': config.adminPerIp,
  };
  const make = (name: LimiterName): Limiter =>
    config.enabled
      ? new TwoStageLimiter(name, points[name], config.windowSeconds, redis, keyPrefix, (n) => {
          metrics.rateLimited.inc({ limiter: n });
        })
      : unlimited;
  return {
    'join-ip': make('join-ip'),
    'join-user': make('join-user'),
    'status-ip': make('status-ip'),
    'status-user': make('status-user'),
    'admin-ip': make('admin-ip'),
  };
}

/** Express middleware limiting by client IP (behind proxies, set TRUST_PROXY). */
export function perIp(limiter: Limiter): RequestHandler {
  return (req, _res, next) => {
    limiter.consume(req.ip ?? 'unknown').then(() => {
      next();
    }, next);
  };
}
