import { existsSync } from 'node:fs';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { postgresBinDir, requirePostgresBinDir, startThrowawayPostgres } from './throwawayPostgres';

describe('a throwaway PostgreSQL cluster', () => {
  it('finds the server binaries even where Debian keeps them off PATH', () => {
    expect(postgresBinDir()).toBeDefined();
    expect(postgresBinDir({ PATH: '' })).toMatch(/^\/usr\/lib\/postgresql\/\d+(\.\d+)?\/bin$/);
  });

  it('says which package to install when the binaries are nowhere', () => {
    expect(() => requirePostgresBinDir({ PATH: '' }, '/nonexistent/postgresql')).toThrow('apt-get install -y postgresql');
  });

  it('starts on a loopback port, answers queries, gives out empty databases and is gone after stop', async () => {
    const cluster = await startThrowawayPostgres();
    try {
      const client = new pg.Client({ connectionString: cluster.url });
      await client.connect();
      const { rows } = await client.query<{ one: number; server: string }>('select 1 as one, inet_server_addr()::text as server');
      expect(rows).toEqual([{ one: 1, server: '127.0.0.1/32' }]);
      await client.end();

      const other = new pg.Client({ connectionString: await cluster.createDatabase('couponflow_test') });
      await other.connect();
      const tables = await other.query("select count(*)::int as n from information_schema.tables where table_schema = 'public'");
      expect(tables.rows).toEqual([{ n: 0 }]);
      await other.end();
    } finally {
      await cluster.stop();
    }
    expect(existsSync(cluster.dir)).toBe(false);
    const late = new pg.Client({ connectionString: cluster.url });
    await expect(late.connect()).rejects.toThrow(/ECONNREFUSED/);
  });
});
