// The database: MySQL/MariaDB from DATABASE_URL (created if missing), or an
// embedded SQLite file when it is unset, so `npm start` needs nothing but Redis.
import { StartupError } from '../platform/errors';
import knex, { type Knex } from 'knex';
import { migrationSource } from './migrations';

export type Db = Knex;

export interface DbSettings {
  databaseUrl: string | undefined;
  sqliteFile: string;
  /** Where knex's own warnings go (it prints to the console otherwise). */
  warn?: (message: string) => void;
}

function knexLog(settings: DbSettings): Knex.Config['log'] {
  const warn = settings.warn ?? (() => undefined);
  const say = (message: unknown) => {
    warn(String(message));
  };
  return { warn: say, error: say, deprecate: say, debug: () => undefined };
}

export class DatabaseUnavailableError extends StartupError {
  override readonly name = 'DatabaseUnavailableError';
}

function mysqlConfig(url: URL, database?: string): Knex.Config {
  return {
    client: 'mysql2',
    connection: {
      host: url.hostname,
      port: Number(url.port || 3306),
      user: decodeURIComponent(url.username),
      password: decodeURIComponent(url.password),
      database,
      supportBigNumbers: true,
      dateStrings: false,
      connectTimeout: 5000,
    },
    pool: { min: 0, max: 10 },
    acquireConnectionTimeout: 5000,
  };
}

async function ensureMysqlDatabase(url: URL, name: string): Promise<void> {
  const admin = knex(mysqlConfig(url));
  try {
    await admin.raw('CREATE DATABASE IF NOT EXISTS ?? CHARACTER SET utf8mb4 COLLATE utf8mb4_bin', [
      name,
    ]);
  } finally {
    await admin.destroy();
  }
}

/**
 * Applies pending migrations. Several processes starting together (N servers and
 * M workers on one fresh database) would race inside knex's own bookkeeping, so
 * on MySQL they queue on a server-wide named lock: one migrates, the others then
 * find nothing left to do. The lock is held by one pinned connection (a
 * transaction) and released when it ends, even if the process dies.
 */
async function migrateLatest(db: Db, lockName: string | null, waitSeconds = 60): Promise<void> {
  if (!lockName) {
    await db.migrate.latest({ migrationSource });
    return;
  }
  await db.transaction(async (trx) => {
    const [rows] = (await trx.raw('SELECT GET_LOCK(?, ?) AS got', [lockName, waitSeconds])) as [
      { got: number | null }[],
    ];
    if (rows[0]?.got !== 1)
      throw new Error(`another process held ${lockName} for ${waitSeconds} s`);
    try {
      await db.migrate.latest({ migrationSource });
    } finally {
      await trx.raw('SELECT RELEASE_LOCK(?)', [lockName]);
    }
  });
}

/** Opens the database, creating it and running migrations; throws a one-line error if unreachable. */
export async function openDb(settings: DbSettings): Promise<Db> {
  let db: Db;
  let where: string;
  let lockName: string | null = null;
  try {
    if (settings.databaseUrl) {
      const url = new URL(settings.databaseUrl);
      const name = url.pathname.replace(/^\//, '') || 'waiting_room';
      where = `${url.protocol}//${url.host}/${name}`;
      await ensureMysqlDatabase(url, name);
      lockName = `migrate:${name}`.slice(0, 64);
      db = knex({ ...mysqlConfig(url, name), log: knexLog(settings) });
    } else {
      where = `sqlite file ${settings.sqliteFile}`;
      db = knex({
        client: 'better-sqlite3',
        connection: { filename: settings.sqliteFile },
        useNullAsDefault: true,
        log: knexLog(settings),
      });
    }
  } catch (err) {
    throw new DatabaseUnavailableError(
      `Cannot open the database (${(err as Error).message}). Start MySQL/MariaDB ` +
        '(`docker compose up -d mysql`) or unset DATABASE_URL to use an embedded SQLite file.',
    );
  }
  try {
    await migrateLatest(db, lockName);
  } catch (err) {
    await db.destroy();
    throw new DatabaseUnavailableError(
      `Cannot migrate the database at ${where} (${(err as Error).message}).`,
    );
  }
  return db;
}

/** Drops a MySQL database; for tests that made their own. */
export async function dropMysqlDatabase(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const admin = knex(mysqlConfig(url));
  try {
    await admin.raw('DROP DATABASE IF EXISTS ??', [url.pathname.replace(/^\//, '')]);
  } finally {
    await admin.destroy();
  }
}
