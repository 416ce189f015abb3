// Rate limits per IP and per shopper. Each limiter has two stages so a request
// never waits for a Redis round trip of its own: an in-memory fixed window per
// key decides at once (synchronously, no timer per key), and hits are added to
// a count in Redis (rate-limiter-flexible, shared by every server) off the
// request path, in batches of `batch` hits. When Redis says a key is over the
// limit, the key is blocked in memory for the rest of the window. A shopper who
// joins once costs Redis nothing; a busy IP costs one small script per `batch`
// requests. The price: across N servers a key can get up to N x batch requests
// past the limit before every server knows.
import type { RequestHandler } from 'express';
import type { RedisClient } from '../../core/platform/redis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { RateLimitConfig } from '../../core/platform/config';
import { AppError, ErrorCode } from '../../core/platform/errors';
import type { Metrics } from '../../core/metrics/metrics';
import type { Caller } from '../../core/useCases/callers';

export type LimiterName =
  'join-ip' | 'join-user' | 'status-ip' | 'status-user' | 'admin-ip' | 'coupon-ip' | 'coupon-user';

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

interface Window {
  /** Hits counted in this window, refused ones included. */
  hits: number;
  /** When the window ends (ms since the epoch). */
  endsAt: number;
}

/**
 * The memory stage: a fixed window per key, decided synchronously. Windows live
 * in two generations swapped every window length, so a key nobody hits again is
 * forgotten with its generation: no timer per key, no sweep over every key.
 */
export class LocalWindows {
  private current = new Map<string, Window>();
  private previous = new Map<string, Window>();
  private swapAt = 0;

  constructor(
    private readonly windowMs: number,
    private readonly now: () => number,
  ) {}

  /** Counts one hit for `key` and returns its window. */
  hit(key: string): Window {
    const now = this.now();
    let window = this.live(key, now);
    if (window === undefined) {
      window = { hits: 0, endsAt: now + this.windowMs };
      this.current.set(key, window);
    }
    window.hits++;
    return window;
  }

  /** Refuses `key` until `until` (ms since the epoch) with `hits` over the limit. */
  block(key: string, hits: number, until: number): void {
    const window = this.live(key, this.now());
    if (window) Object.assign(window, { hits: Math.max(window.hits, hits), endsAt: until });
    else this.current.set(key, { hits, endsAt: until });
  }

  private live(key: string, now: number): Window | undefined {
    if (now >= this.swapAt) {
      // Every window in `previous` began over a window length ago: it has ended.
      this.previous = this.current;
      this.current = new Map();
      this.swapAt = now + this.windowMs;
    }
    let window = this.current.get(key);
    if (window === undefined) {
      window = this.previous.get(key);
      if (window !== undefined) this.current.set(key, window);
    }
    return window !== undefined && window.endsAt > now ? window : undefined;
  }
}

const passed = Promise.resolve();

class TwoStageLimiter implements Limiter {
  private readonly local: LocalWindows;
  private readonly shared: RateLimiterRedis;
  private readonly batch: number;

  constructor(
    private readonly name: LimiterName,
    private readonly points: number,
    windowSeconds: number,
    redis: RedisClient,
    keyPrefix: string,
    private readonly onLimited: (name: LimiterName) => void,
    private readonly now: () => number = Date.now,
  ) {
    this.batch = batchFor(points);
    this.local = new LocalWindows(windowSeconds * 1000, now);
    this.shared = new RateLimiterRedis({
      storeClient: redis,
      points,
      duration: windowSeconds,
      keyPrefix: `${keyPrefix}:rl:${name}`,
      // A Redis outage must not stall requests: the memory stage goes on deciding alone.
      rejectIfRedisNotReady: true,
    });
  }

  consume(key: string): Promise<void> {
    const window = this.local.hit(key);
    if (window.hits > this.points) {
      this.onLimited(this.name);
      return Promise.reject(limitedError(this.name, window.endsAt - this.now()));
    }
    if (window.hits % this.batch !== 0) return passed;
    // Not awaited: the shared count only tightens later decisions.
    this.shared.consume(key, this.batch).catch((refusal: unknown) => {
      if (refusal instanceof RateLimiterRes && refusal.msBeforeNext > 0) {
        this.local.block(key, this.points + 1, this.now() + refusal.msBeforeNext);
      }
    });
    return passed;
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
    'coupon-ip': config.couponPerIp,
    'coupon-user': config.couponPerUser,
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
    'coupon-ip': make('coupon-ip'),
    'coupon-user': make('coupon-user'),
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

/**
 * The per-shopper key, which a stranger cannot spend for the victim: per
 * promotion (an unknown promotion has a budget of its own), and the verified
 * JWT subject in signed mode; in open mode, where anyone may declare a userId,
 * the declared userId from this client IP only.
 */
export function shopperKey(
  caller: Caller,
  promotionId: number,
  userId: string,
  ip?: string,
): string {
  const key = `${promotionId}:${userId}`;
  return caller.kind === 'shopper' ? key : `${key}@${ip ?? 'unknown'}`;
}
