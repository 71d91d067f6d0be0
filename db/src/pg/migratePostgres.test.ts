import { readFileSync } from 'node:fs';
import { getTableConfig as sqliteTableConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import { getTableConfig as pgTableConfig, PgTable } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as sqliteCoupons from '../schema';
import * as sqliteRuntime from '../runtimeSchema';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../testing/throwawayPostgres';
import { migratePostgres } from './migratePostgres';
import * as pgRuntime from './runtimeSchema';
import * as pgCoupons from './schema';

type Shape = Record<string, { columns: string[]; indexes: string[] }>;

/** table → sorted column and index names, as each drizzle schema declares them */
const sqliteShape = (): Shape =>
  Object.fromEntries(
    Object.values({ ...sqliteCoupons, ...sqliteRuntime })
      .filter((value) => value instanceof SQLiteTable)
      .map((table) => {
        const config = sqliteTableConfig(table);
        return [config.name, { columns: config.columns.map((c) => c.name).sort(), indexes: config.indexes.map((i) => i.config.name).sort() }];
      }),
  );
const pgShape = (): Shape =>
  Object.fromEntries(
    Object.values({ ...pgCoupons, ...pgRuntime })
      .filter((value) => value instanceof PgTable)
      .map((table) => {
        const config = pgTableConfig(table);
        return [config.name, { columns: config.columns.map((c) => c.name).sort(), indexes: config.indexes.map((i) => i.config.name ?? '').sort() }];
      }),
  );

let cluster: ThrowawayPostgres;
beforeAll(async () => {
  cluster = await startThrowawayPostgres();
});
afterAll(() => cluster?.stop());

describe('the PostgreSQL schema', () => {
  it('mirrors every SQLite table, column and index by name', () => {
    const sqlite = sqliteShape();
    expect(Object.keys(sqlite).length).toBeGreaterThan(15);
    expect(pgShape()).toEqual(sqlite);
  });

  it('is created in an empty database by its committed migrations, and migrating again changes nothing', async () => {
    const url = await cluster.createDatabase('couponflow');
    await migratePostgres(url);
    // Two processes starting at once on one database: the second finds everything applied.
    await Promise.all([migratePostgres(url), migratePostgres(url)]);

    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const columns = await client.query<{ table_name: string; column_name: string }>(
        "select table_name, column_name from information_schema.columns where table_schema = 'public'",
      );
      const indexes = await client.query<{ tablename: string; indexname: string }>(
        "select tablename, indexname from pg_indexes where schemaname = 'public' and indexname not like '%_pkey' and indexname not like '%_pk'",
      );
      const live: Shape = {};
      for (const { table_name, column_name } of columns.rows) (live[table_name] ??= { columns: [], indexes: [] }).columns.push(column_name);
      for (const { tablename, indexname } of indexes.rows) live[tablename]!.indexes.push(indexname);
      for (const shape of Object.values(live)) {
        shape.columns.sort();
        shape.indexes.sort();
      }
      expect(live).toEqual(sqliteShape());

      const journal = JSON.parse(readFileSync(new URL('../../migrations-pg/meta/_journal.json', import.meta.url), 'utf8')) as { entries: unknown[] };
      const applied = await client.query<{ n: number }>('select count(*)::int as n from drizzle.__drizzle_migrations');
      expect(applied.rows).toEqual([{ n: journal.entries.length }]);
    } finally {
      await client.end();
    }
  });
});
