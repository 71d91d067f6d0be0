import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import { drizzle as sqliteDrizzle } from 'drizzle-orm/better-sqlite3';
import { migrate as sqliteMigrate } from 'drizzle-orm/better-sqlite3/migrator';
import { drizzle as pgDrizzle } from 'drizzle-orm/node-postgres';
import { migrate as pgMigrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { migratePostgres } from './pg/migratePostgres';
import { openDatabase } from './openDatabase';
import { createDatabaseIn, migrationsAsOf as migrationsCopy } from './testing';

const here = dirname(fileURLToPath(import.meta.url));
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const clean of cleanups.splice(0).reverse()) await clean();
});

function migrationsAsOf(folder: string, lastIndex: number): string {
  const copy = migrationsCopy(folder, lastIndex);
  cleanups.push(copy.remove);
  return copy.path;
}

// The pool as the previous release kept it: codes of a finished batch (one already handed out),
// an imported code with no batch, and two codes of a batch that never finished.
const before = {
  organisation: `insert into organisations (id, name, features, created_at) values ('org_a', 'Shop', '{}', $now)`,
  coupon: `insert into coupons (id, org_id, name, code_type, starts_at, active, usage_expiry, redeem_page, contact_tags, created_at, updated_at, pool_size)
           values ('cpn_a', 'org_a', 'Pool', 'unique', $now, $true, '{"type":"active_period"}', '{}', '{}', $now, $now, 3)`,
  batches: `insert into code_batches (id, org_id, coupon_id, status, started_at) values ('cbt_done', 'org_a', 'cpn_a', 'complete', $now), ('cbt_lost', 'org_a', 'cpn_a', 'pending', $now)`,
  codes: `insert into coupon_codes (org_id, coupon_id, code, record_id, batch_id) values
          ('org_a', 'cpn_a', 'AAA111', 'rec_1', 'cbt_done'), ('org_a', 'cpn_a', 'BBB222', null, 'cbt_done'), ('org_a', 'cpn_a', 'CCC333', null, null),
          ('org_a', 'cpn_a', 'DDD444', null, 'cbt_lost'), ('org_a', 'cpn_a', 'EEE555', null, 'cbt_lost')`,
};
const after = `select c.code, t.record_id as "recordId", p.coupon_id as "couponId", s.org_id as "orgId"
               from pool_codes c join pools p on p.id = c.pool_id join code_spaces s on s.id = c.space_id and s.id = p.space_id
               left join taken_codes t on t.code_id = c.id order by c.id`;
// The coupon marks the last code handed out: the next redemption takes the code after it.
const mark = `select (select last_taken_code_id from coupons where id = 'cpn_a') = (select id from pool_codes where code = 'AAA111') as "marksTaken"`;
const kept = [
  { code: 'AAA111', recordId: 'rec_1', couponId: 'cpn_a', orgId: 'org_a' },
  { code: 'BBB222', recordId: null, couponId: 'cpn_a', orgId: 'org_a' },
  { code: 'CCC333', recordId: null, couponId: 'cpn_a', orgId: 'org_a' },
];

describe('upgrading an instance whose coupons have code pools', () => {
  it('keeps every counted code, in order and with its holder, on SQLite', () => {
    const dir = mkdtempSync(join(tmpdir(), 'couponflow-upgrade-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'app.db');
    const old = new BetterSqlite3(file);
    sqliteMigrate(sqliteDrizzle(old), { migrationsFolder: migrationsAsOf(resolve(here, '../migrations'), 5) });
    const params = (text: string) => text.replaceAll('$now', String(Date.now())).replaceAll('$true', '1');
    for (const statement of Object.values(before)) old.exec(params(statement));
    old.close();

    const upgraded = openDatabase({ url: `file:${file}` });
    cleanups.push(() => upgraded.close());
    expect(upgraded.db.$client.prepare(after).all()).toEqual(kept);
    expect(upgraded.db.$client.prepare(mark).get()).toEqual({ marksTaken: 1 });
  });

  it('keeps every counted code, in order and with its holder, on PostgreSQL', async () => {
    const url = await createDatabaseIn(inject('postgresUrl'), `upgrade_${Date.now().toString(36)}`);
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    cleanups.push(() => pool.end());
    await pgMigrate(pgDrizzle(pool), { migrationsFolder: migrationsAsOf(resolve(here, '../migrations-pg'), 1) });
    const params = (text: string) => text.replaceAll('$now', 'now()').replaceAll('$true', 'true');
    for (const statement of Object.values(before)) await pool.query(params(statement));
    await migratePostgres(url);
    expect((await pool.query(after)).rows).toEqual(kept);
    expect((await pool.query(mark)).rows).toEqual([{ marksTaken: true }]);
  });
});
