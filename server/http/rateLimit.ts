// Rate limits per IP and per shopper (rate-limiter-flexible). Each limiter has
// two stages so a request never waits for a Redis round trip of its own: an
// in-memory limiter decides at once, and hits are added to a count in Redis
// (shared by every server) off the request path, in batches of `batch` hits.
// When Redis says a key is over the limit, the key is blocked in memory for the
// rest of the window. A shopper who joins once costs Redis nothing; a busy IP
// costs one small script per `batch` requests. The price: across N servers a
// key can get up to N x batch requests past the limit before every server knows.
import type { RequestHandler } from 'express';
import type { RedisClient } from '../../core/platform/redis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { RateLimitConfig } from '../../core/platform/config';
import { AppError, ErrorCode } from '../../core/platform/errors';
import type { Metrics } from '../../core/metrics/metrics';

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

/** Hits per Redis write: 2% of the limit, and at least 2 so a key's single hit stays local. */
export function batchFor(points: number): number {
  return Math.max(2, Math.ceil(points / 50));
}

class TwoStageLimiter implements Limiter {
  private readonly local: RateLimiterMemory;
  private readonly shared: RateLimiterRedis;
  private readonly batch: number;

  constructor(
    private readonly name: LimiterName,
    points: number,
    windowSeconds: number,
    redis: RedisClient,
    keyPrefix: string,
    private readonly onLimited: (name: LimiterName) => void,
  ) {
    this.batch = batchFor(points);
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
    let local: RateLimiterRes;
    try {
      local = await this.local.consume(key);
    } catch (refusal) {
      if (!(refusal instanceof RateLimiterRes)) throw refusal;
      this.onLimited(this.name);
      throw limitedError(this.name, refusal.msBeforeNext);
    }
    if (local.consumedPoints % this.batch !== 0) return;
    // Not awaited: the shared count only tightens later decisions.
    this.shared.consume(key, this.batch).catch((refusal: unknown) => {
      if (refusal instanceof RateLimiterRes && refusal.msBeforeNext > 0) {
        void this.local.block(key, refusal.msBeforeNext / 1000);
      }
    });
  }
}

export type Limiters = Record<LimiterName, Limiter>;

export function createLimiters(
  config: RateLimitConfig,
  redis: RedisClient,
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

const pass: RequestHandler = (_req, _res, next) => {
  next();
};

/** Express middleware limiting by client IP (behind proxies, set TRUST_PROXY). */
export function perIp(limiter: Limiter): RequestHandler {
  // With limits off, a request costs neither reading its address (proxy-addr) nor a promise.
  if (limiter === unlimited) return pass;
  return (req, _res, next) => {
    limiter.consume(req.ip ?? 'unknown').then(() => {
      next();
    }, next);
  };
}
