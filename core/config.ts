// The one place that reads process.env: parsed once with zod, frozen, and a bad
// value stops the process with a message naming the variable.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';

const emptyAsUndefined = (value: unknown) => (value === '' ? undefined : value);

const positiveInt = (fallback: number) =>
  z.preprocess(emptyAsUndefined, z.coerce.number().int().positive().default(fallback));

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
  ADMIN_TOKEN: z.preprocess(
    emptyAsUndefined,
    z.string().min(16, 'must be at least 16 characters').optional(),
  ),
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
});

export type Env = z.infer<typeof envSchema>;

export interface Config {
  readonly env: Env['NODE_ENV'];
  readonly port: number;
  readonly redisUrl: string;
  readonly keyPrefix: string;
  readonly databaseUrl: string | undefined;
  /** Bearer token of marketer and operator endpoints. */
  readonly adminToken: string;
  /** True when no ADMIN_TOKEN was given and one was made up at start. */
  readonly adminTokenGenerated: boolean;
  readonly drainBatchSize: number;
  readonly drainIntervalMs: number;
  /** Window in which a known sell-out answers joins without Redis (0: never). */
  readonly soldOutCacheMs: number;
  readonly logLevel: Env['LOG_LEVEL'];
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
  if (env.NODE_ENV === 'production' && !env.ADMIN_TOKEN) {
    throw new ConfigError(
      'Invalid configuration:\n  ADMIN_TOKEN: required when NODE_ENV=production (at least 16 characters)',
    );
  }
  return Object.freeze({
    env: env.NODE_ENV,
    port: env.PORT,
    redisUrl: env.REDIS_URL,
    keyPrefix: env.REDIS_KEY_PREFIX,
    databaseUrl: env.DATABASE_URL,
    adminToken: env.ADMIN_TOKEN ?? randomBytes(24).toString('base64url'),
    adminTokenGenerated: !env.ADMIN_TOKEN,
    drainBatchSize: env.DRAIN_BATCH_SIZE,
    drainIntervalMs: env.DRAIN_INTERVAL_MS,
    soldOutCacheMs: env.SOLD_OUT_CACHE_MS,
    logLevel: env.LOG_LEVEL,
  });
}
