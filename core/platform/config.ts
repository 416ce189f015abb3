// The one place that reads process.env: parsed once with zod, frozen, and a bad
// value stops the process with a message naming the variable.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';

const emptyAsUndefined = (value: unknown) => (value === '' ? undefined : value);

const positiveInt = (fallback: number) =>
  z.preprocess(emptyAsUndefined, z.coerce.number().int().positive().default(fallback));

const nonNegativeInt = (fallback: number) =>
  z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).default(fallback));

const flag = (fallback: boolean) =>
  z.preprocess(emptyAsUndefined, z.stringbool().default(fallback));

const sampleShare = 'must be a number from 0 (log none) to 1 (log every one)';

const envSchema = z.object({
  NODE_ENV: z.preprocess(
    emptyAsUndefined,
    z.enum(['development', 'production', 'test']).default('development'),
  ),
  PORT: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).max(65535).default(3000)),
  REDIS_URL: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
      .default('redis://127.0.0.1:6379'),
  ),
  /** Redis Cluster seed nodes, host:port,host:port,...; when set it replaces REDIS_URL. */
  REDIS_CLUSTER_NODES: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(
        /^[A-Za-z0-9.-]+:\d{1,5}(,[A-Za-z0-9.-]+:\d{1,5})*$/,
        'must be comma-separated host:port pairs',
      )
      .optional(),
  ),
  /** Prefix of every Redis key this deployment owns; tests give each run its own. */
  REDIS_KEY_PREFIX: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^[A-Za-z0-9_.:-]{1,32}$/, 'must be 1-32 characters of [A-Za-z0-9_.:-]')
      .default('wr'),
  ),
  DATABASE_URL: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^mysql2?:\/\//, 'must be a mysql:// URL')
      .optional(),
  ),
  /** The embedded database used when DATABASE_URL is unset. */
  SQLITE_FILE: z.preprocess(emptyAsUndefined, z.string().default('waiting-room.sqlite')),
  /** How often the worker checks Redis against the database (0 turns it off). */
  RECONCILE_INTERVAL_MS: z.preprocess(
    emptyAsUndefined,
    z.coerce.number().int().min(0).max(86_400_000).default(60_000),
  ),
  /** Attempts of a persist job before it becomes a dead letter, and the first backoff. */
  PERSIST_ATTEMPTS: positiveInt(10).pipe(z.number().max(50)),
  PERSIST_BACKOFF_MS: positiveInt(1000).pipe(z.number().max(600_000)),
  ADMIN_TOKEN: z.preprocess(
    emptyAsUndefined,
    z.string().min(16, 'must be at least 16 characters').optional(),
  ),
  /** HMAC key of queue tokens; every server of one deployment must share it. */
  QUEUE_TOKEN_SECRET: z.preprocess(
    emptyAsUndefined,
    z.string().min(32, 'must be at least 32 characters').optional(),
  ),
  QUEUE_TOKEN_TTL_SECONDS: positiveInt(86_400).pipe(z.number().min(60).max(2_592_000)),
  DRAIN_BATCH_SIZE: positiveInt(100).pipe(z.number().max(10000)),
  DRAIN_INTERVAL_MS: positiveInt(1000).pipe(z.number().min(10).max(3_600_000)),
  /** How long a server trusts a SOLD_OUT seen from Redis before asking again; 0 disables. */
  SOLD_OUT_CACHE_MS: z.preprocess(
    emptyAsUndefined,
    z.coerce.number().int().min(0).max(60_000).default(1000),
  ),
  LOG_LEVEL: z.preprocess(
    emptyAsUndefined,
    z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  ),
  /** Share of successful shopper requests written to the access log (errors, refusals and slow ones always are). */
  ACCESS_LOG_SAMPLE: z.preprocess(
    emptyAsUndefined,
    z.coerce.number({ error: sampleShare }).min(0, sampleShare).max(1, sampleShare).default(0.01),
  ),
  /** false turns every rate limiter off (load tests, the test suite). */
  RATE_LIMIT_ENABLED: flag(true),
  RATE_LIMIT_WINDOW_SECONDS: positiveInt(60).pipe(z.number().max(86_400)),
  RATE_LIMIT_JOIN_PER_IP: positiveInt(3000),
  RATE_LIMIT_JOIN_PER_USER: positiveInt(10),
  RATE_LIMIT_STATUS_PER_IP: positiveInt(30_000),
  RATE_LIMIT_STATUS_PER_USER: positiveInt(120),
  RATE_LIMIT_ADMIN_PER_IP: positiveInt(600),
  /** Proxies in front of the server whose X-Forwarded-For is believed (Express "trust proxy" hops). */
  TRUST_PROXY: nonNegativeInt(0).pipe(z.number().max(10)),
  /** Comma-separated origins allowed to call the API from a browser; "*" for any; empty: same origin only. */
  CORS_ORIGINS: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(
        /^(\*|https?:\/\/[^\s,]+(,https?:\/\/[^\s,]+)*)$/,
        'must be "*" or comma-separated http(s):// origins',
      )
      .optional(),
  ),
  /** After the first SIGTERM/SIGINT, exit anyway once this much time has passed. */
  SHUTDOWN_TIMEOUT_MS: positiveInt(20_000).pipe(z.number().min(100).max(600_000)),
  /** The worker process serves /metrics and /healthz on this port when set (0 picks a free one). */
  WORKER_METRICS_PORT: z.preprocess(
    emptyAsUndefined,
    z.coerce.number().int().min(0).max(65535).optional(),
  ),
});

/** Every environment variable the config reads (the compose file test checks against it). */
export const envKeys = Object.keys(envSchema.shape) as readonly (keyof z.input<typeof envSchema>)[];

export type Env = z.infer<typeof envSchema>;

export interface Config {
  readonly env: Env['NODE_ENV'];
  readonly port: number;
  readonly redisUrl: string;
  /** Seed nodes of a Redis Cluster; when set, every connection is a cluster client. */
  readonly redisClusterNodes: readonly RedisNode[] | undefined;
  readonly keyPrefix: string;
  readonly databaseUrl: string | undefined;
  readonly sqliteFile: string;
  readonly reconcileIntervalMs: number;
  /** Persist job retries: attempts, and the first delay (doubling each time). */
  readonly persistRetry: { attempts: number; backoffMs: number };
  /** Bearer token of marketer and operator endpoints. */
  readonly adminToken: string;
  /** True when no ADMIN_TOKEN was given and one was made up at start. */
  readonly adminTokenGenerated: boolean;
  /** HMAC key that signs queue tokens (join -> socket). */
  readonly queueTokenSecret: string;
  /** True when no QUEUE_TOKEN_SECRET was given: tokens then verify only on this process. */
  readonly queueTokenSecretGenerated: boolean;
  readonly queueTokenTtlSeconds: number;
  readonly drainBatchSize: number;
  readonly drainIntervalMs: number;
  /** Window in which a known sell-out answers joins without Redis (0: never). */
  readonly soldOutCacheMs: number;
  readonly logLevel: Env['LOG_LEVEL'];
  /** Share (0-1) of successful shopper requests the access log writes; every one is still counted. */
  readonly accessLogSample: number;
  readonly rateLimit: RateLimitConfig;
  readonly trustProxy: number;
  /** Browser origins allowed by CORS: a list, "*" for any, or empty for none. */
  readonly corsOrigins: readonly string[] | '*';
  readonly shutdownTimeoutMs: number;
  readonly workerMetricsPort: number | undefined;
}

export interface RedisNode {
  readonly host: string;
  readonly port: number;
}

export interface RateLimitConfig {
  readonly enabled: boolean;
  readonly windowSeconds: number;
  readonly joinPerIp: number;
  readonly joinPerUser: number;
  readonly statusPerIp: number;
  readonly statusPerUser: number;
  readonly adminPerIp: number;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Parses an environment (process.env by default) into a frozen Config or throws ConfigError. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map(
      (issue) => `  ${issue.path.join('.') || '(env)'}: ${issue.message}`,
    );
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const env = parsed.data;
  if (env.NODE_ENV === 'production') {
    const missing = [
      ...(env.ADMIN_TOKEN
        ? []
        : ['  ADMIN_TOKEN: required when NODE_ENV=production (at least 16 characters)']),
      ...(env.QUEUE_TOKEN_SECRET
        ? []
        : ['  QUEUE_TOKEN_SECRET: required when NODE_ENV=production (at least 32 characters)']),
    ];
    if (missing.length > 0) throw new ConfigError(`Invalid configuration:\n${missing.join('\n')}`);
  }
  return Object.freeze({
    env: env.NODE_ENV,
    port: env.PORT,
    redisUrl: env.REDIS_URL,
    redisClusterNodes: env.REDIS_CLUSTER_NODES?.split(',').map((node) => {
      const at = node.lastIndexOf(':');
      return Object.freeze({ host: node.slice(0, at), port: Number(node.slice(at + 1)) });
    }),
    keyPrefix: env.REDIS_KEY_PREFIX,
    databaseUrl: env.DATABASE_URL,
    sqliteFile: env.SQLITE_FILE,
    reconcileIntervalMs: env.RECONCILE_INTERVAL_MS,
    persistRetry: { attempts: env.PERSIST_ATTEMPTS, backoffMs: env.PERSIST_BACKOFF_MS },
    adminToken: env.ADMIN_TOKEN ?? randomBytes(24).toString('base64url'),
    adminTokenGenerated: !env.ADMIN_TOKEN,
    queueTokenSecret: env.QUEUE_TOKEN_SECRET ?? randomBytes(32).toString('base64url'),
    queueTokenSecretGenerated: !env.QUEUE_TOKEN_SECRET,
    queueTokenTtlSeconds: env.QUEUE_TOKEN_TTL_SECONDS,
    drainBatchSize: env.DRAIN_BATCH_SIZE,
    drainIntervalMs: env.DRAIN_INTERVAL_MS,
    soldOutCacheMs: env.SOLD_OUT_CACHE_MS,
    logLevel: env.LOG_LEVEL,
    accessLogSample: env.ACCESS_LOG_SAMPLE,
    rateLimit: Object.freeze({
      enabled: env.RATE_LIMIT_ENABLED,
      windowSeconds: env.RATE_LIMIT_WINDOW_SECONDS,
      joinPerIp: env.RATE_LIMIT_JOIN_PER_IP,
      joinPerUser: env.RATE_LIMIT_JOIN_PER_USER,
      statusPerIp: env.RATE_LIMIT_STATUS_PER_IP,
      statusPerUser: env.RATE_LIMIT_STATUS_PER_USER,
      adminPerIp: env.RATE_LIMIT_ADMIN_PER_IP,
    }),
    trustProxy: env.TRUST_PROXY,
    corsOrigins: env.CORS_ORIGINS === '*' ? '*' : Object.freeze(env.CORS_ORIGINS?.split(',') ?? []),
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    workerMetricsPort: env.WORKER_METRICS_PORT,
  });
}
