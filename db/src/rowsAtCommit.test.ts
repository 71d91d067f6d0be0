import { asc } from 'drizzle-orm';
import { afterEach, describe, expect, inject, it } from 'vitest';
import type { Database, DatabaseHandle } from './database';
import { backends, openTestDatabase } from './testing';
import { insertAtCommit, sqliteCommits, writeTransaction } from './writeTransaction';

const opened: DatabaseHandle[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((handle) => handle.close()));
});

async function open(backend: (typeof backends)[number]) {
  const handle = await openTestDatabase(backend, inject('postgresUrl'));
  opened.push(handle);
  return handle.db;
}

const at = new Date('2026-06-01T12:00:00.123Z');
const event = (outcome: string) => ({ orgId: 'org_a', action: 'redeem' as const, outcome, at, couponId: 'cpn_a', recordId: null, customerId: 'alice', detail: null });
// what a bug would queue: the trail refuses an event without its organisation
const unowned = (outcome: string) => ({ ...event(outcome), orgId: null as unknown as string });

async function trail(db: Database) {
  const e = db.tables.redemptionEvents;
  return (await db.select({ outcome: e.outcome, at: e.at }).from(e).orderBy(asc(e.id))).map((row) => row.outcome);
}

/** Shop `i` queues two audit events; shop `failing` throws after queuing its own. */
function shops(db: Database, count: number, failing: number, rerunnable: boolean) {
  return Promise.allSettled(
    Array.from({ length: count }, (_, i) =>
      writeTransaction(
        db,
        async (tx) => {
          expect(insertAtCommit(tx, 'redemptionEvents', event(`shop ${i} first`))).toBe(true);
          insertAtCommit(tx, 'redemptionEvents', event(`shop ${i} second`));
          if (i === failing) throw new Error(`shop ${i} refused`);
          return i;
        },
        { rerunnable },
      ),
    ),
  );
}

const trailWithout = (count: number, failing: number) =>
  Array.from({ length: count }, (_, i) => i)
    .filter((i) => i !== failing)
    .flatMap((i) => [`shop ${i} first`, `shop ${i} second`]);

describe('audit rows queued for the commit on SQLite', () => {
  it('go in with their transactions, in the order queued; a transaction that throws leaves none (re-runnable batch)', async () => {
    const db = await open('sqlite');
    const outcomes = await shops(db, 10, 6, true);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(Array.from({ length: 10 }, (_, i) => (i === 6 ? 'rejected' : 'fulfilled')));
    expect(await trail(db)).toEqual(trailWithout(10, 6));
    expect(sqliteCommits(db)).toEqual({ commits: 1, transactions: 10, busyWaits: 0 });
  });

  it('go in with their transactions, in the order queued; a transaction that throws leaves none (a savepoint each)', async () => {
    const db = await open('sqlite');
    await shops(db, 10, 3, false);
    expect(await trail(db)).toEqual(trailWithout(10, 3));
  });

  it('are forgotten with a nested transaction that rolls back, and kept around it', async () => {
    const db = await open('sqlite');
    await writeTransaction(db, async (tx) => {
      insertAtCommit(tx, 'redemptionEvents', event('before'));
      await writeTransaction(tx, async (inner) => {
        insertAtCommit(inner, 'redemptionEvents', event('inside'));
        throw new Error('inner fails');
      }).catch(() => undefined);
      insertAtCommit(tx, 'redemptionEvents', event('after'));
    });
    expect(await trail(db)).toEqual(['before', 'after']);
  });

  it('that the table refuses fail their own transaction only', async () => {
    const db = await open('sqlite');
    const outcomes = await Promise.allSettled(
      ['kept', 'refused', 'also kept'].map((outcome) =>
        writeTransaction(db, async (tx) => void insertAtCommit(tx, 'redemptionEvents', (outcome === 'refused' ? unowned : event)(outcome)), { rerunnable: true }),
      ),
    );
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await trail(db)).toEqual(['kept', 'also kept']);
  });
  it('of one table name the same columns: a row naming others is refused, not narrowed', async () => {
    const db = await open('sqlite');
    const { detail: _dropped, ...withoutDetail } = event('short');
    const outcome = writeTransaction(db, async (tx) => {
      insertAtCommit(tx, 'redemptionEvents', event('whole'));
      insertAtCommit(tx, 'redemptionEvents', withoutDetail);
    });
    await expect(outcome).rejects.toThrow(/name the columns/);
    expect(await trail(db)).toEqual([]);
  });
});

describe.each(backends)('on %s', (backend) => {
  it('a row is inserted by the caller where it cannot wait for a commit', async () => {
    const db = await open(backend);
    expect(insertAtCommit(db, 'redemptionEvents', event('outside a transaction'))).toBe(false);
    const queued = await writeTransaction(db, async (tx) => insertAtCommit(tx, 'redemptionEvents', event('inside')));
    expect(queued).toBe(backend === 'sqlite');
  });
});
