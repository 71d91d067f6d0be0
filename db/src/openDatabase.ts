import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import type { Database } from './database';
import { guardIncrementedTables } from './incrementsAtCommit';
import * as couponSchema from './schema';
import * as runtimeSchema from './runtimeSchema';
import { sqliteTables } from './tables';
import { autocheckpointPages, checkpointInBackground, walSizeLimitBytes } from './walCheckpointer';

export { walSizeLimitBytes };

const schema = { ...couponSchema, ...runtimeSchema };

export interface SqliteHandle {
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
  /** WAL checkpoints in a thread of their own instead of in commits (long-running servers and workers) */
  checkpointInBackground?: boolean;
}

const migrationsFolder = resolve(dirname(fileURLToPath(import.meta.url)), '../migrations');

export function sqlitePathFromUrl(url: string): string {
  if (url === ':memory:' || url === 'file::memory:') return ':memory:';
  return url.startsWith('file:') ? url.slice('file:'.length) : url;
}

/** Opens (creating when missing) an SQLite database file, or `:memory:`. */
export function openDatabase({ url, migrate: runMigrations = true, busyTimeoutMs = 30_000, checkpointInBackground: background = false }: OpenDatabaseOptions): SqliteHandle {
  const path = sqlitePathFromUrl(url);
  if (path !== ':memory:') ownerOnly(path);
  const client = new BetterSqlite3(path, { timeout: busyTimeoutMs });
  applySqlitePragmas(client);
  guardIncrementedTables(client);
  const db = Object.assign(drizzle(client, { schema }), { tables: sqliteTables, backend: 'sqlite' as const });
  if (runMigrations) migrate(db, { migrationsFolder });
  const stopCheckpoints = background && path !== ':memory:' ? checkpointInBackground(client, path) : () => {};
  return {
    db,
    close: () => {
      stopCheckpoints();
      client.close();
    },
  };
}

/** How every Couponflow SQLite connection is set up (the bench's plain-SQLite floors use it too). */
export function applySqlitePragmas(client: BetterSqlite3.Database): void {
  client.pragma('journal_mode = WAL');
  // NORMAL is durable across application crashes in WAL mode; only an OS crash can lose the last commits.
  client.pragma('synchronous = NORMAL');
  client.pragma('foreign_keys = ON');
  // Reads go through the page cache of the OS instead of a copy per connection.
  client.pragma('mmap_size = 268435456');
  client.pragma('temp_store = MEMORY');
  // Fewer, larger checkpoints: each one fsyncs, and under a steady write load they dominate commits.
  client.pragma(`wal_autocheckpoint = ${autocheckpointPages}`);
  // Under a steady write load the WAL only starts over once a checkpoint has caught up with it, which
  // happens when the load pauses; meanwhile it grows (~80 MB/s at full speed). The file is cut back
  // to this size when it starts over, so a burst does not keep its disk space for good (with a
  // checkpoint thread, the thread cuts it back instead: see checkpointInBackground).
  client.pragma(`journal_size_limit = ${walSizeLimitBytes}`);
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
