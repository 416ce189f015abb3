// The one place that reads process.env: parsed once with zod, frozen, and a bad
// value stops the process with a message naming the variable. Each variable is
// validated in envSchema and placed in the resolved shape by configSchema's
// transform; Config is that transform's output type, not a third list.
import { StartupError } from './errors';
import {
  commaList,
  crossFieldRules,
  nonNegativeInt,
  positiveInt,
  sampleShare,
  withoutBlanks,
} from './configRules';
import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { z } from 'zod';

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: nonNegativeInt(3000, 65535),
  SERVER_PROCESSES: z
    .string()
    .regex(/^(auto|[1-9]\d{0,3})$/, 'must be "auto" or a whole number from 1 to 9999')
    .default('1'),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
    .default('redis://127.0.0.1:6379'),
  REDIS_CLUSTER_NODES: z
    .string()
    .regex(
      /^[A-Za-z0-9.-]+:\d{1,5}(,[A-Za-z0-9.-]+:\d{1,5})*$/,
      'must be comma-separated host:port pairs',
    )
    .optional(),
  REDIS_KEY_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{1,32}$/, 'must be 1-32 characters of [A-Za-z0-9_.:-]')
    .default('wr'),
  DATABASE_URL: z
    .string()
    .regex(/^mysql2?:\/\//, 'must be a mysql:// URL')
    .optional(),
  SQLITE_FILE: z.string().default('waiting-room.sqlite'),
  RECONCILE_INTERVAL_MS: nonNegativeInt(60_000, 86_400_000),
  RECONCILE_REPAIR: z.enum(['auto', 'report']).default('auto'),
  PERSIST_ATTEMPTS: positiveInt(10, 50),
  PERSIST_BACKOFF_MS: positiveInt(1000, 600_000),
  ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  QUEUE_TOKEN_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  QUEUE_TOKEN_SECRET_PREVIOUS: z.string().min(32, 'must be at least 32 characters').optional(),
  QUEUE_TOKEN_TTL_SECONDS: positiveInt(86_400, 2_592_000, 60),
  SHOPPER_AUTH: z.enum(['open', 'signed'], { error: 'must be open or signed' }).optional(),
  SHOPPER_JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  SHOPPER_JWKS_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s):// URL' }).optional(),
  SHOPPER_JWKS_FILE: z.string().optional(),
  SHOPPER_JWT_ISSUER: z.string().optional(),
  SHOPPER_JWT_AUDIENCE: z.string().optional(),
  SHOPPER_JWT_CLOCK_SKEW_SECONDS: nonNegativeInt(30, 300),
  SHOPPER_JWKS_COOLDOWN_SECONDS: nonNegativeInt(30, 3600),
  DRAIN_BATCH_SIZE: positiveInt(100, 10000),
  DRAIN_INTERVAL_MS: positiveInt(1000, 3_600_000, 10),
  SOLD_OUT_CACHE_MS: nonNegativeInt(1000, 60_000),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  ACCESS_LOG_SAMPLE: z.coerce
    .number({ error: sampleShare })
    .min(0, sampleShare)
    .max(1, sampleShare)
    .default(0.01),
  RATE_LIMIT_ENABLED: z.stringbool().default(true),
  RATE_LIMIT_WINDOW_SECONDS: positiveInt(60, 86_400),
  RATE_LIMIT_JOIN_PER_IP: positiveInt(3000),
  RATE_LIMIT_JOIN_PER_USER: positiveInt(10),
  RATE_LIMIT_STATUS_PER_IP: positiveInt(30_000),
  RATE_LIMIT_STATUS_PER_USER: positiveInt(120),
  RATE_LIMIT_ADMIN_PER_IP: positiveInt(600),
  RATE_LIMIT_COUPON_PER_IP: positiveInt(600),
  RATE_LIMIT_COUPON_PER_USER: positiveInt(30),
  TRUST_PROXY: nonNegativeInt(0, 10),
  CORS_ORIGINS: z
    .string()
    .regex(
      /^(\*|https?:\/\/[^\s,]+(,https?:\/\/[^\s,]+)*)$/,
      'must be "*" or comma-separated http(s):// origins',
    )
    .optional(),
  SHUTDOWN_TIMEOUT_MS: positiveInt(20_000, 600_000, 100),
  EVENTS_STREAM_MAXLEN: positiveInt(100_000, 100_000_000, 100),
  EVENTS_RELAY_INTERVAL_MS: positiveInt(500, 60_000, 10),
  WEBHOOK_TIMEOUT_MS: positiveInt(5000, 60_000, 100),
  WEBHOOK_ATTEMPTS: positiveInt(12, 30),
  WEBHOOK_BACKOFF_MS: positiveInt(2000, 600_000, 10),
  WEBHOOK_CONCURRENCY: positiveInt(10, 200),
  WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  HTTP_REQUEST_TIMEOUT_MS: positiveInt(10_000, 600_000, 100),
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  UNKNOWN_PROMOTION_CACHE_MS: nonNegativeInt(5000, 60_000),
  CHALLENGE_TTL_SECONDS: positiveInt(300, 3600, 10),
});

/** Every environment variable the config reads (the compose file test checks against it). */
export const envKeys = Object.keys(envSchema.shape) as readonly (keyof z.input<typeof envSchema>)[];

const configSchema = z.preprocess(withoutBlanks, envSchema).transform((env, ctx) => {
  const auth = crossFieldRules(env, ctx);
  return Object.freeze({
    env: env.NODE_ENV,
    port: env.PORT,
    /**
     * Server processes sharing the port (SERVER_PROCESSES; "auto": one per available
     * core). Above 1 the server entry forks them with node:cluster; 1 is one plain process.
     */
    serverProcesses:
      env.SERVER_PROCESSES === 'auto' ? availableParallelism() : Number(env.SERVER_PROCESSES),
    redisUrl: env.REDIS_URL,
    /**
     * Seed nodes of a Redis Cluster (REDIS_CLUSTER_NODES, host:port,host:port,...);
     * when set, every connection is a cluster client and REDIS_URL is ignored.
     */
    redisClusterNodes: env.REDIS_CLUSTER_NODES
      ? Object.freeze(
          commaList(env.REDIS_CLUSTER_NODES).map((node) => {
            const at = node.lastIndexOf(':');
            return Object.freeze({ host: node.slice(0, at), port: Number(node.slice(at + 1)) });
          }),
        )
      : undefined,
    /** Prefix of every Redis key this deployment owns; tests give each run its own. */
    keyPrefix: env.REDIS_KEY_PREFIX,
    databaseUrl: env.DATABASE_URL,
    /** The embedded database used when DATABASE_URL is unset. */
    sqliteFile: env.SQLITE_FILE,
    /** How often the worker checks Redis against the database (0 turns it off). */
    reconcileIntervalMs: env.RECONCILE_INTERVAL_MS,
    /**
     * What the scheduled reconcile does with drift the database proves: `auto`
     * repairs it (resync) and logs each repair, `report` only records and logs it.
     */
    reconcileRepair: env.RECONCILE_REPAIR,
    /** Attempts of a persist job before it becomes a dead letter, and the first delay (doubling). */
    persistRetry: Object.freeze({
      attempts: env.PERSIST_ATTEMPTS,
      backoffMs: env.PERSIST_BACKOFF_MS,
    }),
    /** Bearer token of marketer and operator endpoints. */
    adminToken: env.ADMIN_TOKEN ?? randomBytes(24).toString('base64url'),
    /** True when no ADMIN_TOKEN was given and one was made up at start. */
    adminTokenGenerated: !env.ADMIN_TOKEN,
    /** HMAC key that signs queue tokens (join -> socket); every server of one deployment must share it. */
    queueTokenSecret: env.QUEUE_TOKEN_SECRET ?? randomBytes(32).toString('base64url'),
    /** True when no QUEUE_TOKEN_SECRET was given: tokens then verify only on this process. */
    queueTokenSecretGenerated: !env.QUEUE_TOKEN_SECRET,
    /** The secret being rotated out: tokens it signed still verify until they expire. */
    queueTokenSecretPrevious: env.QUEUE_TOKEN_SECRET_PREVIOUS,
    queueTokenTtlSeconds: env.QUEUE_TOKEN_TTL_SECONDS,
    /**
     * Who a shopper is. open: the userId they declare (private data only to their
     * queue token); signed: the `sub` of a JWT the shop signed (see README).
     */
    shopperAuth: Object.freeze({
      mode: auth ?? 'open',
      /** HS256 key shared with the shop's backend. */
      jwtSecret: env.SHOPPER_JWT_SECRET,
      /** The shop's public keys (RS256/ES256/EdDSA), fetched and cached, refetched on a new kid. */
      jwksUrl: env.SHOPPER_JWKS_URL,
      /** The same keys as a JWKS file, read at start. */
      jwksFile: env.SHOPPER_JWKS_FILE,
      issuer: env.SHOPPER_JWT_ISSUER,
      audience: env.SHOPPER_JWT_AUDIENCE,
      clockSkewSeconds: env.SHOPPER_JWT_CLOCK_SKEW_SECONDS,
      /** After a fetch, an unknown kid waits this long before the JWKS is fetched again. */
      jwksCooldownSeconds: env.SHOPPER_JWKS_COOLDOWN_SECONDS,
    }),
    drainBatchSize: env.DRAIN_BATCH_SIZE,
    drainIntervalMs: env.DRAIN_INTERVAL_MS,
    /** How long a server trusts a SOLD_OUT seen from Redis before asking again (0: never). */
    soldOutCacheMs: env.SOLD_OUT_CACHE_MS,
    logLevel: env.LOG_LEVEL,
    /** Share of successful shopper requests written to the access log (errors, refusals other than 409 and slow ones always are). */
    accessLogSample: env.ACCESS_LOG_SAMPLE,
    rateLimit: Object.freeze({
      /** false turns every rate limiter off (load tests, the test suite). */
      enabled: env.RATE_LIMIT_ENABLED,
      windowSeconds: env.RATE_LIMIT_WINDOW_SECONDS,
      joinPerIp: env.RATE_LIMIT_JOIN_PER_IP,
      joinPerUser: env.RATE_LIMIT_JOIN_PER_USER,
      statusPerIp: env.RATE_LIMIT_STATUS_PER_IP,
      statusPerUser: env.RATE_LIMIT_STATUS_PER_USER,
      adminPerIp: env.RATE_LIMIT_ADMIN_PER_IP,
      couponPerIp: env.RATE_LIMIT_COUPON_PER_IP,
      couponPerUser: env.RATE_LIMIT_COUPON_PER_USER,
    }),
    /** Proxies in front of the server whose X-Forwarded-For is believed (Express "trust proxy" hops). */
    trustProxy: env.TRUST_PROXY,
    /**
     * Browser origins allowed by CORS (CORS_ORIGINS, comma-separated): a list, "*"
     * for any, or empty for same origin only.
     */
    corsOrigins:
      env.CORS_ORIGINS === '*'
        ? ('*' as const)
        : Object.freeze(env.CORS_ORIGINS ? commaList(env.CORS_ORIGINS) : []),
    /** After the first SIGTERM/SIGINT, exit anyway once this much time has passed. */
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    events: Object.freeze({
      /** The `<prefix>:events` stream keeps about this many entries (XADD MAXLEN ~). */
      streamMaxLen: env.EVENTS_STREAM_MAXLEN,
      /** How often the worker moves committed events out of the outbox. */
      relayIntervalMs: env.EVENTS_RELAY_INTERVAL_MS,
    }),
    webhooks: Object.freeze({
      /** A receiver that has not answered in this long counts as down (retried). */
      timeoutMs: env.WEBHOOK_TIMEOUT_MS,
      /**
       * Attempts per delivery and the first retry's delay (doubling): 12 and 2 s
       * retry for about 68 minutes before a dead letter.
       */
      attempts: env.WEBHOOK_ATTEMPTS,
      backoffMs: env.WEBHOOK_BACKOFF_MS,
      /** Deliveries in flight per worker. */
      concurrency: env.WEBHOOK_CONCURRENCY,
    }),
    /** The worker process serves /metrics and /healthz on this port when set (0 picks a free one). */
    workerMetricsPort: env.WORKER_METRICS_PORT,
    /**
     * A request's headers and body must arrive within this long or the connection
     * is cut (Node's requestTimeout/headersTimeout), so a slow body holds nothing.
     */
    httpRequestTimeoutMs: env.HTTP_REQUEST_TIMEOUT_MS,
    /** Bearer token /metrics asks for on the public port; null: the admin token. */
    metricsToken: env.METRICS_TOKEN ?? null,
    /** The server serves /metrics on this private port only (not on PORT) when set (0 picks one). */
    metricsPort: env.METRICS_PORT,
    /** How long a server remembers that a promotion id does not exist (0: never). */
    unknownPromotionCacheMs: env.UNKNOWN_PROMOTION_CACHE_MS,
    /** How long a proof-of-work challenge may be solved and used (one join, once). */
    challengeTtlSeconds: env.CHALLENGE_TTL_SECONDS,
  });
});

/** The resolved configuration every module reads; its shape is configSchema's output. */
export type Config = z.output<typeof configSchema>;
export type RateLimitConfig = Config['rateLimit'];
export type ShopperAuthConfig = Config['shopperAuth'];

export class ConfigError extends StartupError {
  override readonly name = 'ConfigError';
}

/** Parses an environment (process.env by default) into a frozen Config or throws ConfigError. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map(
      (issue) => `  ${issue.path.join('.') || '(env)'}: ${issue.message}`,
    );
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}
