import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as couponSchema from './schema';
import * as runtimeSchema from './runtimeSchema';

const schema = { ...couponSchema, ...runtimeSchema };

export type Database = BetterSQLite3Database<typeof schema> & { $client: BetterSqlite3.Database };

export interface DatabaseHandle {
  db: Database;
  close(): void;
}

export interface OpenDatabaseOptions {
  /** `file:path/to.db`, a plain path, or `:memory:` */
  url: string;
  /** apply pending migrations (default true) */
  migrate?: boolean;
  /** how long a writer waits for another process's lock, ms */
  busyTimeoutMs?: number;
}

const migrationsFolder = resolve(dirname(fileURLToPath(import.meta.url)), '../migrations');

export function sqlitePathFromUrl(url: string): string {
  if (url === ':memory:' || url === 'file::memory:') return ':memory:';
  return url.startsWith('file:') ? url.slice('file:'.length) : url;
}

export function openDatabase({ url, migrate: runMigrations = true, busyTimeoutMs = 30_000 }: OpenDatabaseOptions): DatabaseHandle {
  const path = sqlitePathFromUrl(url);
  if (path !== ':memory:') ownerOnly(path);
  const client = new BetterSqlite3(path, { timeout: busyTimeoutMs });
  client.pragma('journal_mode = WAL');
  // NORMAL is durable across application crashes in WAL mode; only an OS crash can lose the last commits.
  client.pragma('synchronous = NORMAL');
  client.pragma('foreign_keys = ON');
  // Reads go through the page cache of the OS instead of a copy per connection.
  client.pragma('mmap_size = 268435456');
  client.pragma('temp_store = MEMORY');
  // Fewer, larger checkpoints: each one fsyncs, and under a steady write load they dominate commits.
  client.pragma('wal_autocheckpoint = 10000');
  const db = drizzle(client, { schema });
  if (runMigrations) migrate(db, { migrationsFolder });
  return { db, close: () => client.close() };
}

/**
 * The database holds customers' data and channel credentials: readable by its owner alone. SQLite
 * gives the -wal and -shm files the database file's mode, so setting it first covers them too.
 */
function ownerOnly(path: string): void {
  mkdirSync(dirname(resolve(path)), { recursive: true });
  closeSync(openSync(path, 'a', 0o600));
  for (const file of [path, `${path}-wal`, `${path}-shm`]) if (existsSync(file)) chmodSync(file, 0o600);
}

/**
 * Runs `work` holding the database's write lock from its first statement, so that the checks it
 * makes and the writes that follow are atomic against every other connection and process.
 */
export function writeTransaction<T>(db: Database, work: (tx: Database) => T): T {
  // One connection, one transaction: statements issued through `db` inside `work` belong to it, and
  // a nested call becomes a savepoint.
  // better-sqlite3's own transaction wrapper: drizzle's builds a session object per call, which
  // costs more than a whole redemption's statements.
  return db.$client.transaction(() => work(db)).immediate();
}
