import type BetterSqlite3 from 'better-sqlite3';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import type * as couponSchema from './schema';
import type * as runtimeSchema from './runtimeSchema';
import type { DatabaseDialect } from './databaseUrlFromEnv';
import type { Tables } from './tables';

/**
 * What every folder queries. Its query builders are typed by the SQLite schema; at run time a
 * PostgreSQL database answers the same builder calls. Queries are awaited (both drivers), never
 * run with the SQLite-only `.get()`, `.all()`, `.run()` or `.values()` (eslint refuses them outside
 * db/), and take their tables from `db.tables`, which belong to the database's dialect.
 */
export type Database = BetterSQLite3Database<typeof couponSchema & typeof runtimeSchema> & {
  readonly tables: Tables;
  readonly backend: DatabaseDialect;
  /** set on the handle a writeTransaction passes to its work */
  readonly inTransaction?: true;
  /** set by `withoutNestedSavepoints`: nested re-runnable transactions run bare (see there) */
  readonly bareNesting?: true;
  /** SQLite only: the better-sqlite3 connection (tests and benchmarks reach for it) */
  $client: BetterSqlite3.Database;
};

export interface DatabaseHandle {
  db: Database;
  close(): Promise<void>;
}
