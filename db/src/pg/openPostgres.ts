import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import type { Database, DatabaseHandle } from '../database';
import { postgresSchema, postgresTables } from '../tables';
import { migratePostgres } from './migratePostgres';

export interface OpenPostgresOptions {
  url: string;
  migrate?: boolean;
  /** connections this process keeps; each open write transaction holds one */
  poolSize?: number;
}

// Counts and sums come back as numbers, as SQLite gives them: bigint (20) and numeric (1700) would
// otherwise be strings. Our ids and counters stay far below 2^53. Set on the driver itself because
// drizzle hands each query node-postgres's global parsers.
pg.types.setTypeParser(20, Number);
pg.types.setTypeParser(1700, Number);

/** Connects to PostgreSQL, applying the committed migrations first (under an advisory lock). */
export async function openPostgres({ url, migrate = true, poolSize = 10 }: OpenPostgresOptions): Promise<DatabaseHandle> {
  if (migrate) await migratePostgres(url);
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle connection the server drops must not take the process down; the next query reconnects.
  pool.on('error', () => undefined);
  const db = Object.assign(drizzle(pool, { schema: postgresSchema }), { tables: postgresTables, backend: 'postgres' as const });
  return { db: db as unknown as Database, close: () => pool.end() };
}
