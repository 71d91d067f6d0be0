import type { DatabaseHandle } from './database';
import { databaseDialect } from './databaseUrlFromEnv';
import { openDatabase } from './openDatabase';
import { openPostgres } from './pg/openPostgres';

export interface ConnectDatabaseOptions {
  /** `file:…` (or a path, or `:memory:`) for SQLite; `postgres://…` for PostgreSQL */
  url: string;
  migrate?: boolean;
  poolSize?: number;
  /** SQLite: WAL checkpoints in a thread of their own, off the event loop (servers and workers) */
  checkpointInBackground?: boolean;
}

/** Opens the database `url` names, in its dialect, with the migrations applied. */
export async function connectDatabase({ url, migrate, poolSize, checkpointInBackground }: ConnectDatabaseOptions): Promise<DatabaseHandle> {
  if (databaseDialect(url) === 'postgres') return openPostgres({ url, migrate, poolSize });
  const { db, close } = openDatabase({ url, migrate, checkpointInBackground });
  return { db, close: async () => close() };
}
