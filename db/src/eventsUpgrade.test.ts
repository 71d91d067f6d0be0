import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from './openDatabase';
import { migrationsAsOf as migrationsCopy } from './testing';
import { insertAtCommit, writeTransaction } from './writeTransaction';

const here = dirname(fileURLToPath(import.meta.url));
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const clean of cleanups.splice(0).reverse()) await clean();
});

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function migrationsAsOf(lastIndex: number): string {
  const copy = migrationsCopy(resolve(here, '../migrations'), lastIndex);
  cleanups.push(copy.remove);
  return copy.path;
}

const trail = `select id, org_id as orgId, coupon_id as couponId, record_id as recordId, customer_id as customerId, action, outcome, detail, at from redemption_events order by id`;

describe('upgrading an instance whose audit trail has events (SQLite)', () => {
  it('keeps every event with its id, and new events come after them', async () => {
    const file = join(tempDir('couponflow-upgrade-'), 'app.db');
    const old = new BetterSqlite3(file);
    migrate(drizzle(old), { migrationsFolder: migrationsAsOf(6) });
    // The previous release's trail, with a gap where ids were skipped.
    old.exec(`insert into redemption_events (id, org_id, coupon_id, record_id, customer_id, action, outcome, detail, at) values
      (1, 'org_a', 'cpn_a', null, 'alice', 'distribute', 'customer_not_eligible', null, 1764000000000),
      (2, 'org_a', 'cpn_a', 'rdm_1', 'bob', 'distribute', 'ok', null, 1764000000001),
      (7, 'org_a', 'cpn_a', 'rdm_1', 'bob', 'redeem', 'ok', 'note', 1764000000002)`);
    const before = old.prepare(trail).all();
    old.close();

    const upgraded = openDatabase({ url: `file:${file}` });
    cleanups.push(() => upgraded.close());
    expect(upgraded.db.$client.prepare(trail).all()).toEqual(before);
    await writeTransaction(upgraded.db, async (tx) => {
      insertAtCommit(tx, 'redemptionEvents', { orgId: 'org_a', action: 'verify', outcome: 'ok', at: new Date(1764000000003), couponId: 'cpn_a', recordId: 'rdm_1', customerId: 'bob', detail: null });
    });
    const after = upgraded.db.$client.prepare(trail).all() as Array<{ id: number; action: string }>;
    expect(after.slice(0, 3)).toEqual(before);
    expect(after[3]).toMatchObject({ id: 8, action: 'verify' });
  });
});
