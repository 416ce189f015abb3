// `npm run migrate`: create the database if missing and apply every migration.
// The server and worker do this at start too; this is for deploy pipelines.
import { loadConfig } from '../platform/config';
import { openDb } from './connection';
import { migrationSource } from './migrations';

async function main() {
  const config = loadConfig();
  const db = await openDb({ databaseUrl: config.databaseUrl, sqliteFile: config.sqliteFile });
  const [done] = (await db.migrate.list({ migrationSource })) as [unknown[], unknown[]];
  process.stdout.write(`database ready: ${done.length} migration(s) applied\n`);
  await db.destroy();
}

main().catch((err: unknown) => {
  process.stderr.write(`migrate: ${(err as Error).message}\n`);
  process.exitCode = 1;
});
