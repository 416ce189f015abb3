// Config is parsed once; a bad value names the variable.
import { availableParallelism } from 'node:os';
import { ConfigError, loadConfig } from '../core/platform/config';

test('defaults match the README table', () => {
  const config = loadConfig({});
  expect(config).toMatchObject({
    port: 3000,
    serverProcesses: 1,
    redisUrl: 'redis://127.0.0.1:6379',
    keyPrefix: 'wr',
    databaseUrl: undefined,
    drainBatchSize: 100,
    drainIntervalMs: 1000,
    soldOutCacheMs: 1000,
    adminTokenGenerated: true,
    rateLimit: {
      enabled: true,
      windowSeconds: 60,
      joinPerIp: 3000,
      joinPerUser: 10,
      statusPerIp: 30000,
      statusPerUser: 120,
      adminPerIp: 600,
    },
    trustProxy: 0,
    corsOrigins: [],
    shutdownTimeoutMs: 20000,
    workerMetricsPort: undefined,
    queueTokenSecretGenerated: true,
    queueTokenTtlSeconds: 86400,
  });
  expect(config.adminToken.length).toBeGreaterThanOrEqual(16);
  expect(config.queueTokenSecret.length).toBeGreaterThanOrEqual(32);
  // Each start makes up its own: tokens of one process do not verify on another.
  expect(loadConfig({}).queueTokenSecret).not.toBe(config.queueTokenSecret);
  expect(Object.isFrozen(config)).toBe(true);
});

test('empty strings count as unset', () => {
  expect(loadConfig({ PORT: '', DRAIN_BATCH_SIZE: '' })).toMatchObject({
    port: 3000,
    drainBatchSize: 100,
  });
});

test('REDIS_CLUSTER_NODES: host:port pairs become the cluster seed nodes; unset means one Redis', () => {
  expect(loadConfig({}).redisClusterNodes).toBeUndefined();
  expect(
    loadConfig({ REDIS_CLUSTER_NODES: '10.0.0.1:7000,redis-2:7001' }).redisClusterNodes,
  ).toEqual([
    { host: '10.0.0.1', port: 7000 },
    { host: 'redis-2', port: 7001 },
  ]);
});

test.each([
  ['PORT', { PORT: '70000' }],
  ['PORT', { PORT: 'abc' }],
  ['REDIS_URL', { REDIS_URL: 'http://x' }],
  ['REDIS_CLUSTER_NODES', { REDIS_CLUSTER_NODES: 'redis://a:7000' }],
  ['REDIS_CLUSTER_NODES', { REDIS_CLUSTER_NODES: 'a:7000,,b:7001' }],
  ['DATABASE_URL', { DATABASE_URL: 'postgres://x' }],
  ['ADMIN_TOKEN', { ADMIN_TOKEN: 'short' }],
  ['QUEUE_TOKEN_SECRET', { QUEUE_TOKEN_SECRET: 'too-short-for-an-hmac-key' }],
  ['QUEUE_TOKEN_TTL_SECONDS', { QUEUE_TOKEN_TTL_SECONDS: '5' }],
  ['DRAIN_BATCH_SIZE', { DRAIN_BATCH_SIZE: '-5' }],
  ['DRAIN_INTERVAL_MS', { DRAIN_INTERVAL_MS: '1.5' }],
  ['REDIS_KEY_PREFIX', { REDIS_KEY_PREFIX: 'has space' }],
  ['LOG_LEVEL', { LOG_LEVEL: 'loud' }],
  ['RATE_LIMIT_ENABLED', { RATE_LIMIT_ENABLED: 'maybe' }],
  ['RATE_LIMIT_JOIN_PER_IP', { RATE_LIMIT_JOIN_PER_IP: '0' }],
  ['RATE_LIMIT_WINDOW_SECONDS', { RATE_LIMIT_WINDOW_SECONDS: '100000' }],
  ['TRUST_PROXY', { TRUST_PROXY: 'yes' }],
  ['CORS_ORIGINS', { CORS_ORIGINS: 'shop.example' }],
  ['SHUTDOWN_TIMEOUT_MS', { SHUTDOWN_TIMEOUT_MS: '5' }],
  ['WORKER_METRICS_PORT', { WORKER_METRICS_PORT: '70000' }],
  ['SOLD_OUT_CACHE_MS', { SOLD_OUT_CACHE_MS: '-1' }],
  ['SOLD_OUT_CACHE_MS', { SOLD_OUT_CACHE_MS: '600000' }],
  ['SERVER_PROCESSES', { SERVER_PROCESSES: '0' }],
  ['SERVER_PROCESSES', { SERVER_PROCESSES: 'all' }],
  ['SERVER_PROCESSES', { SERVER_PROCESSES: '2.5' }],
  ['ACCESS_LOG_SAMPLE', { ACCESS_LOG_SAMPLE: '1.5' }],
  ['ACCESS_LOG_SAMPLE', { ACCESS_LOG_SAMPLE: 'half' }],
])('a bad %s is refused with a message naming it', (name, env) => {
  expect(() => loadConfig(env)).toThrow(ConfigError);
  expect(() => loadConfig(env)).toThrow(new RegExp(`${name}:`));
});

test('SERVER_PROCESSES: a count, or auto for one per available core', () => {
  expect(loadConfig({ SERVER_PROCESSES: '4' }).serverProcesses).toBe(4);
  expect(loadConfig({ SERVER_PROCESSES: 'auto' }).serverProcesses).toBe(availableParallelism());
  expect(() => loadConfig({ SERVER_PROCESSES: '-1' })).toThrow(
    /^Invalid configuration:\n {2}SERVER_PROCESSES: must be "auto" or a whole number from 1 to 9999$/,
  );
});

const queueTokenSecret = 'a-queue-token-secret-of-32-chars-or-more';

test('SOLD_OUT_CACHE_MS=0 switches the sold-out fast path off', () => {
  expect(loadConfig({ SOLD_OUT_CACHE_MS: '0' }).soldOutCacheMs).toBe(0);
});

test('ACCESS_LOG_SAMPLE is a share of successful requests: 1% unless set, 0 and 1 allowed', () => {
  expect(loadConfig({}).accessLogSample).toBe(0.01);
  expect(loadConfig({ ACCESS_LOG_SAMPLE: '0' }).accessLogSample).toBe(0);
  expect(loadConfig({ ACCESS_LOG_SAMPLE: '1' }).accessLogSample).toBe(1);
  expect(() => loadConfig({ ACCESS_LOG_SAMPLE: '-0.1' })).toThrow(
    'ACCESS_LOG_SAMPLE: must be a number from 0 (log none) to 1 (log every one)',
  );
});

test('production refuses to start without ADMIN_TOKEN, and keeps a given one', () => {
  expect(() =>
    loadConfig({ NODE_ENV: 'production', QUEUE_TOKEN_SECRET: queueTokenSecret }),
  ).toThrow(/ADMIN_TOKEN: required/);
  const config = loadConfig({
    NODE_ENV: 'production',
    ADMIN_TOKEN: 'a-very-long-admin-token',
    QUEUE_TOKEN_SECRET: queueTokenSecret,
    SHOPPER_AUTH: 'open',
  });
  expect(config).toMatchObject({
    adminToken: 'a-very-long-admin-token',
    adminTokenGenerated: false,
    queueTokenSecret,
    queueTokenSecretGenerated: false,
  });
});

test('rate limits, CORS origins and the worker metrics port parse from strings', () => {
  const config = loadConfig({
    RATE_LIMIT_ENABLED: 'false',
    RATE_LIMIT_JOIN_PER_IP: '100',
    CORS_ORIGINS: 'https://shop.example,http://localhost:5173',
    WORKER_METRICS_PORT: '0',
  });
  expect(config.rateLimit).toMatchObject({ enabled: false, joinPerIp: 100 });
  expect(config.corsOrigins).toEqual(['https://shop.example', 'http://localhost:5173']);
  expect(config.workerMetricsPort).toBe(0);
  expect(loadConfig({ CORS_ORIGINS: '*' }).corsOrigins).toBe('*');
});

test('production refuses to start without QUEUE_TOKEN_SECRET: every server must share one', () => {
  expect(() =>
    loadConfig({ NODE_ENV: 'production', ADMIN_TOKEN: 'a-very-long-admin-token' }),
  ).toThrow(/QUEUE_TOKEN_SECRET: required/);
  // Both missing: both named at once.
  expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
    /ADMIN_TOKEN: required[\s\S]*QUEUE_TOKEN_SECRET: required/,
  );
});

test('each bad variable is one line of the message, however many of its rules it breaks', () => {
  expect(() =>
    loadConfig({ QUEUE_TOKEN_TTL_SECONDS: '-5', PERSIST_ATTEMPTS: '0', LOG_LEVEL: 'loud' }),
  ).toThrow(
    /^Invalid configuration:\n {2}PERSIST_ATTEMPTS: [^\n]+\n {2}QUEUE_TOKEN_TTL_SECONDS: [^\n]+\n {2}LOG_LEVEL: [^\n]+$/,
  );
});

describe('shopper identity (SHOPPER_AUTH)', () => {
  const production = {
    NODE_ENV: 'production',
    ADMIN_TOKEN: 'a-very-long-admin-token',
    QUEUE_TOKEN_SECRET: queueTokenSecret,
  };
  const hsSecret = 'a-shop-jwt-secret-of-32-characters-or-more';

  test('open is the default outside production; production must choose, in one line', () => {
    expect(loadConfig({}).shopperAuth).toMatchObject({ mode: 'open', clockSkewSeconds: 30 });
    expect(() => loadConfig(production)).toThrow(
      /^Invalid configuration:\n {2}SHOPPER_AUTH: required when NODE_ENV=production[^\n]*$/,
    );
    expect(loadConfig({ ...production, SHOPPER_AUTH: 'open' }).shopperAuth.mode).toBe('open');
  });

  test.each([
    ['no key source', {}, /SHOPPER_AUTH: signed needs exactly one of/],
    [
      'two key sources',
      { SHOPPER_JWT_SECRET: hsSecret, SHOPPER_JWKS_FILE: 'k.json' },
      /exactly one/,
    ],
    ['a short secret', { SHOPPER_JWT_SECRET: 'short' }, /SHOPPER_JWT_SECRET: must be at least 32/],
    ['a JWKS URL that is not http(s)', { SHOPPER_JWKS_URL: 'ftp://x/jwks' }, /SHOPPER_JWKS_URL:/],
    [
      'a mode that does not exist',
      { SHOPPER_AUTH: 'trust-me' },
      /SHOPPER_AUTH: must be open or signed/,
    ],
  ])('signed mode with %s is refused with a message naming the variable', (_name, env, message) => {
    expect(() => loadConfig({ SHOPPER_AUTH: 'signed', ...env })).toThrow(message);
  });

  test('a complete signed configuration resolves every setting', () => {
    const config = loadConfig({
      SHOPPER_AUTH: 'signed',
      SHOPPER_JWKS_URL: 'https://shop.example/.well-known/jwks.json',
      SHOPPER_JWT_ISSUER: 'https://shop.example',
      SHOPPER_JWT_AUDIENCE: 'waiting-room',
      SHOPPER_JWT_CLOCK_SKEW_SECONDS: '10',
      QUEUE_TOKEN_SECRET_PREVIOUS: queueTokenSecret,
    });
    expect(config.shopperAuth).toMatchObject({
      mode: 'signed',
      jwksUrl: 'https://shop.example/.well-known/jwks.json',
      issuer: 'https://shop.example',
      audience: 'waiting-room',
      clockSkewSeconds: 10,
    });
    expect(config.queueTokenSecretPrevious).toBe(queueTokenSecret);
  });
});
