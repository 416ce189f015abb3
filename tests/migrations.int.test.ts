// Several processes starting at once on a fresh database (N servers, M workers):
// every one of them comes up, and the schema is migrated exactly once.
import { dropMysqlDatabase, openDb } from '../core/db/connection';
import { testDatabaseUrl, uniquePrefix } from './helpers/env';

test('four processes opening one fresh database at once all start, and migrate it once', async () => {
  const databaseUrl = testDatabaseUrl(uniquePrefix());
  const settings = { databaseUrl, sqliteFile: 'unused.sqlite' };
  const dbs = await Promise.all([1, 2, 3, 4].map(() => openDb(settings)));
  try {
    const applied = (await dbs[0]?.('knex_migrations').select('name')) ?? [];
    expect(applied.map((row: { name: string }) => row.name)).toEqual(
      expect.arrayContaining(['001_promotions_and_coupons']),
    );
    expect(new Set(applied.map((row: { name: string }) => row.name)).size).toBe(applied.length);
  } finally {
    await Promise.all(dbs.map((db) => db.destroy()));
    await dropMysqlDatabase(databaseUrl);
  }
});
