import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';

const migrationsFolder = resolve(dirname(fileURLToPath(import.meta.url)), '../../migrations-pg');

// Any fixed number: every process of an instance takes the same lock before migrating.
const migrationLock = 7_311_002;

/**
 * Applies the committed PostgreSQL migrations (db/migrations-pg). Several servers and workers may
 * start at once against one database, so they take turns under an advisory lock; whoever comes
 * second finds nothing left to apply.
 */
export async function migratePostgres(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [migrationLock]);
    await migrate(drizzle(client), { migrationsFolder });
  } finally {
    await client.end();
  }
}
