import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from './openDatabase';
import { handOverOutbox } from './outboxHandOver';
import { migrationsAsOf } from './testing';

const here = dirname(fileURLToPath(import.meta.url));
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const clean of cleanups.splice(0).reverse()) await clean();
});

describe('upgrading an instance whose outbox kept every row it handed over (SQLite)', () => {
  it('forgets the handed-over rows, hands over the rest, and never gives a new row an old id', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'couponflow-upgrade-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'app.db');
    const migrations = migrationsAsOf(resolve(here, '../migrations'), 8);
    cleanups.push(migrations.remove);
    const old = new BetterSqlite3(file);
    migrate(drizzle(old), { migrationsFolder: migrations.path });
    // The previous release marked rows queued and kept them; one row was still waiting to go.
    const row = (id: number, queuedAt: number | null) => `(${id}, 'message', 'org_a', 'inb_a', 'ann', null, null, '{"type":"text","text":"${id}","buttons":[]}', null, 1764000000000, ${queuedAt ?? 'null'})`;
    old.exec(`insert into outbox (id, kind, org_id, inbox_id, customer_id, run_id, node_id, payload, due_at, created_at, queued_at) values ${row(1, 1764000000001)}, ${row(2, 1764000000001)}, ${row(3, null)}`);
    old.close();

    const upgraded = openDatabase({ url: `file:${file}` });
    cleanups.push(() => upgraded.close());
    const ids = () => upgraded.db.$client.prepare('select id from outbox order by id').pluck().all();
    expect(ids()).toEqual([3]);

    const handed: number[] = [];
    await handOverOutbox(upgraded.db, 10, async (rows) => void handed.push(...rows.map((r) => r.id)));
    expect(handed).toEqual([3]);
    expect(ids()).toEqual([]);
    // Job ids derive from row ids: a new row must not take one a handed-over row had.
    upgraded.db.$client.exec(`insert into outbox (kind, org_id, inbox_id, customer_id, payload, created_at) values ('message', 'org_a', 'inb_a', 'ann', '{}', 1764000000002)`);
    expect(ids()).toEqual([4]);
  });
});
