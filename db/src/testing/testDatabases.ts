import { randomBytes } from 'node:crypto';
import { connectDatabase } from '../connectDatabase';
import type { DatabaseHandle } from '../database';
import type { DatabaseDialect } from '../databaseUrlFromEnv';
import { migratePostgres } from '../pg/migratePostgres';
import { createDatabaseIn } from './throwawayPostgres';

/** Both backends, for tests that must hold on each: `describe.each(backends)`. */
export const backends: DatabaseDialect[] = ['sqlite', 'postgres'];

/** The migrated database every test database of a PostgreSQL test run is copied from. */
export const postgresTemplate = 'couponflow_template';

/** Run once per test run (vitest global setup): migrates the template in the throwaway cluster. */
export async function preparePostgresTemplate(clusterUrl: string): Promise<void> {
  await migratePostgres(await createDatabaseIn(clusterUrl, postgresTemplate));
}

/**
 * A fresh, migrated database of the backend: in-memory SQLite (or the file `sqliteUrl`), or a new
 * database copied from the template in the test run's PostgreSQL cluster.
 */
export async function openTestDatabase(backend: DatabaseDialect, postgresClusterUrl: string | undefined, sqliteUrl = ':memory:'): Promise<DatabaseHandle & { url: string }> {
  if (backend === 'sqlite') return { ...(await connectDatabase({ url: sqliteUrl })), url: sqliteUrl };
  if (!postgresClusterUrl) throw new Error('no PostgreSQL cluster for this test run (vitest global setup provides postgresUrl)');
  const url = await createDatabaseIn(postgresClusterUrl, `test_${randomBytes(6).toString('hex')}`, postgresTemplate);
  return { ...(await connectDatabase({ url, migrate: false })), url };
}
