import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { openDatabase, type SqliteHandle } from './openDatabase';
import { writeTransaction } from './writeTransaction';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

const busyTimeoutMs = 300;

/** A worker's and a server's connections to one database file (as two processes have them). */
function workerAndServer(): { worker: BetterSqlite; server: SqliteHandle } {
  const dir = mkdtempSync(join(tmpdir(), 'couponflow-begin-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const url = `file:${join(dir, 'shared.db')}`;
  const worker = openDatabase({ url });
  const server = openDatabase({ url, busyTimeoutMs, migrate: false });
  cleanups.push(
    () => worker.close(),
    () => server.close(),
  );
  return { worker: worker.db.$client, server };
}
type BetterSqlite = SqliteHandle['db']['$client'];

const org = (id: string) => ({ id, name: id, features: { coupons: true }, createdAt: new Date('2026-06-01T12:00:00.000Z') });
const organisationIds = async ({ db }: SqliteHandle) => (await db.select({ id: db.tables.organisations.id }).from(db.tables.organisations)).map((r) => r.id).sort();

it('once a server has met a worker’s write lock, its next writes wait for it without stalling the server', async () => {
  const { worker, server } = workerAndServer();
  // The worker is in the middle of a broadcast group: the server's first write waits in SQLite's
  // own (blocking) busy wait and gives up after the connection's busy timeout, as ever.
  worker.prepare('BEGIN IMMEDIATE').run();
  await expect(writeTransaction(server.db, (tx) => tx.insert(tx.tables.organisations).values(org('org_refused')))).rejects.toMatchObject({ code: 'SQLITE_BUSY' });

  const seen: string[] = [];
  const write = writeTransaction(server.db, async (tx) => {
    seen.push('server wrote');
    await tx.insert(tx.tables.organisations).values(org('org_server'));
  });
  // While that write waits, the server still answers: a read, a timer.
  seen.push(`server read ${(await organisationIds(server)).length} organisations`);
  await new Promise((resolve) => setTimeout(resolve, 20));
  worker.prepare(`insert into organisations (id, name, features, created_at) values ('org_worker', 'w', '{}', 0)`).run();
  worker.prepare('COMMIT').run();
  seen.push('worker committed');
  await write;

  expect(seen).toEqual(['server read 0 organisations', 'worker committed', 'server wrote']);
  expect(await organisationIds(server)).toEqual(['org_server', 'org_worker']);
});

it('still gives up with SQLITE_BUSY after the connection’s busy timeout, which it keeps', async () => {
  const { worker, server } = workerAndServer();
  worker.prepare('BEGIN IMMEDIATE').run();
  await expect(writeTransaction(server.db, (tx) => tx.insert(tx.tables.organisations).values(org('org_first')))).rejects.toMatchObject({ code: 'SQLITE_BUSY' });
  // The non-blocking way, this time: the timer keeps running while it waits, and it ends the same.
  let ticks = 0;
  const ticking = setInterval(() => ticks++, 10);
  await expect(writeTransaction(server.db, (tx) => tx.insert(tx.tables.organisations).values(org('org_late')))).rejects.toMatchObject({ code: 'SQLITE_BUSY' });
  clearInterval(ticking);
  expect(ticks).toBeGreaterThan(3);
  expect(server.db.$client.pragma('busy_timeout', { simple: true })).toBe(busyTimeoutMs);

  worker.prepare('ROLLBACK').run();
  await writeTransaction(server.db, (tx) => tx.insert(tx.tables.organisations).values(org('org_on_time')));
  expect(await organisationIds(server)).toEqual(['org_on_time']);
});
