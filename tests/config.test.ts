// Config is parsed once; a bad value names the variable.
import { ConfigError, loadConfig } from '../core/config';

test('defaults match the README table', () => {
  const config = loadConfig({});
  expect(config).toMatchObject({
    port: 3000,
    redisUrl: 'redis://127.0.0.1:6379',
    keyPrefix: 'wr',
    databaseUrl: undefined,
    drainBatchSize: 100,
    drainIntervalMs: 1000,
    soldOutCacheMs: 1000,
    adminTokenGenerated: true,
  });
  expect(config.adminToken.length).toBeGreaterThanOrEqual(16);
  expect(Object.isFrozen(config)).toBe(true);
});

test('empty strings count as unset', () => {
  expect(loadConfig({ PORT: '', DRAIN_BATCH_SIZE: '' })).toMatchObject({
    port: 3000,
    drainBatchSize: 100,
  });
});

test.each([
  ['PORT', { PORT: '70000' }],
  ['PORT', { PORT: 'abc' }],
  ['REDIS_URL', { REDIS_URL: 'http://x' }],
  ['DATABASE_URL', { DATABASE_URL: 'postgres://x' }],
  ['ADMIN_TOKEN', { ADMIN_TOKEN: 'short' }],
  ['DRAIN_BATCH_SIZE', { DRAIN_BATCH_SIZE: '-5' }],
  ['DRAIN_INTERVAL_MS', { DRAIN_INTERVAL_MS: '1.5' }],
  ['REDIS_KEY_PREFIX', { REDIS_KEY_PREFIX: 'has space' }],
  ['LOG_LEVEL', { LOG_LEVEL: 'loud' }],
  ['SOLD_OUT_CACHE_MS', { SOLD_OUT_CACHE_MS: '-1' }],
  ['SOLD_OUT_CACHE_MS', { SOLD_OUT_CACHE_MS: '600000' }],
])('a bad %s is refused with a message naming it', (name, env) => {
  expect(() => loadConfig(env)).toThrow(ConfigError);
  expect(() => loadConfig(env)).toThrow(new RegExp(`${name}:`));
});

test('SOLD_OUT_CACHE_MS=0 switches the sold-out fast path off', () => {
  expect(loadConfig({ SOLD_OUT_CACHE_MS: '0' }).soldOutCacheMs).toBe(0);
});

test('production refuses to start without ADMIN_TOKEN, and keeps a given one', () => {
  expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/ADMIN_TOKEN: required/);
  const config = loadConfig({ NODE_ENV: 'production', ADMIN_TOKEN: 'a-very-long-admin-token' });
  expect(config).toMatchObject({
    adminToken: 'a-very-long-admin-token',
    adminTokenGenerated: false,
  });
});
