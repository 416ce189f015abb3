// The product's services opened by a test that drives child processes: the same
// Redis prefix and database the children use, and a clean-up that removes both.
import { pino } from 'pino';
import { loadConfig } from '../../core/platform/config';
import { dropMysqlDatabase } from '../../core/db/connection';
import { createPromotion } from '../../core/useCases/promotions';
import { openServices, type Services } from '../../core/services';
import { adminToken, deletePrefix, redisUrl, testDatabaseUrl, uniquePrefix } from './env';

export interface TestServices extends Services {
  /** Creates an open promotion (record and Redis state) and returns its id. */
  promotion(totalStock: number, batchSize: number, intervalMs: number): Promise<number>;
  cleanUp(): Promise<void>;
}

export async function openTestServices(env: Record<string, string>): Promise<TestServices> {
  const config = loadConfig({ ...env, LOG_LEVEL: 'silent' });
  const services = await openServices(config, pino({ level: 'silent' }));
  return {
    ...services,
    async promotion(totalStock, batchSize, intervalMs) {
      const created = await createPromotion(services, {
        name: 'test sale',
        totalStock,
        batchSize,
        intervalMs,
        startsAt: null,
        endsAt: null,
      });
      return created.id;
    },
    async cleanUp() {
      await deletePrefix(services.connections.redis, config.keyPrefix);
      await services.close();
      if (config.databaseUrl) await dropMysqlDatabase(config.databaseUrl);
    },
  };
}

/**
 * For a test that runs the worker as a child process and kills it: the child's
 * environment (a fresh prefix and database, 20 ms ticks) and the test's own services on it.
 */
export async function crashTestServices(): Promise<{
  env: Record<string, string>;
  services: TestServices;
}> {
  const prefix = uniquePrefix();
  const env = {
    REDIS_URL: redisUrl,
    DATABASE_URL: testDatabaseUrl(prefix),
    REDIS_KEY_PREFIX: prefix,
    ADMIN_TOKEN: adminToken,
    LOG_LEVEL: 'info',
    DRAIN_INTERVAL_MS: '20',
  };
  return { env, services: await openTestServices(env) };
}
