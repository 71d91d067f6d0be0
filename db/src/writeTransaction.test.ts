import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { connectDatabase } from './connectDatabase';
import type { DatabaseHandle } from './database';
import { countInsertedPoolCodes, insertPoolCodes } from './insertPoolCodes';
import { bind, prepared, queryRows } from './preparedQuery';
import { backends, openTestDatabase } from './testing';
import { lockForUpdate, sqliteCommits, withoutNestedSavepoints, writeTransaction } from './writeTransaction';

const opened: DatabaseHandle[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((handle) => handle.close()));
});

async function open(backend: (typeof backends)[number], url?: string) {
  const handle = await openTestDatabase(backend, inject('postgresUrl'), url);
  opened.push(handle);
  return handle;
}

const createdAt = new Date('2026-06-01T12:00:00.123Z');

describe.each(backends)('on %s', (backend) => {
  it('keeps what a transaction wrote, and nothing of one that threw', async () => {
    const { db } = await open(backend);
    const { organisations } = db.tables;
    await writeTransaction(db, (tx) => tx.insert(tx.tables.organisations).values({ id: 'org_kept', name: 'Kept', features: { coupons: true }, createdAt }));
    await expect(
      writeTransaction(db, async (tx) => {
        await tx.insert(organisations).values({ id: 'org_lost', name: 'Lost', features: { coupons: true }, createdAt });
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect((await db.select({ id: organisations.id }).from(organisations)).map((row) => row.id)).toEqual(['org_kept']);
  });

  it('nests as a savepoint: an inner failure undoes the inner writes only', async () => {
    const { db } = await open(backend);
    const { organisations } = db.tables;
    await writeTransaction(db, async (tx) => {
      await tx.insert(organisations).values({ id: 'org_outer', name: 'Outer', features: { coupons: true }, createdAt });
      await writeTransaction(tx, async (inner) => {
        await inner.insert(organisations).values({ id: 'org_inner', name: 'Inner', features: { coupons: true }, createdAt });
        throw new Error('inner fails');
      }).catch(() => undefined);
    });
    expect((await db.select({ id: organisations.id }).from(organisations)).map((row) => row.id)).toEqual(['org_outer']);
  });

  it('without nested savepoints, a re-runnable inner transaction runs bare (the caller must roll back); a plain one keeps its savepoint', async () => {
    const { db } = await open(backend);
    const { organisations } = db.tables;
    const insertThenFail = (tx: typeof db, id: string, rerunnable: boolean) =>
      writeTransaction(
        tx,
        async (inner) => {
          await inner.insert(organisations).values({ id, name: id, features: { coupons: true }, createdAt });
          throw new Error('inner fails');
        },
        { rerunnable },
      ).catch(() => undefined);
    await writeTransaction(db, async (outer) => {
      const tx = withoutNestedSavepoints(outer);
      await insertThenFail(tx, 'org_bare', true);
      await insertThenFail(tx, 'org_savepoint', false);
    });
    expect((await db.select({ id: organisations.id }).from(organisations)).map((row) => row.id)).toEqual(['org_bare']);
  });

  it('binds instants, booleans and JSON text through prepared statements and reads them back as written', async () => {
    const { db } = await open(backend);
    const expiresAt = new Date('2026-07-01T00:00:00.456Z');
    await prepared(db, 'test.insertSession', (d, t) =>
      d.insert(t.webSessions).values({ idHash: bind('idHash'), keyId: null, instanceAdmin: bind('admin'), createdAt: bind('createdAt'), expiresAt: bind('expiresAt') }),
    ).run({ idHash: 'h1', admin: true, createdAt, expiresAt });
    const session = await prepared(db, 'test.sessionByHash', (d, t) => d.select().from(t.webSessions).where(eq(t.webSessions.idHash, bind('idHash')))).get({ idHash: 'h1' });
    expect(session).toEqual({ idHash: 'h1', keyId: null, instanceAdmin: true, createdAt, expiresAt });
    const live = prepared(db, 'test.liveSessions', (d, t) =>
      d.select({ n: sql<number>`count(*)` }).from(t.webSessions).where(sql`${t.webSessions.expiresAt} > ${bind('at')}`),
    );
    expect(await live.get({ at: createdAt })).toEqual({ n: 1 });
    expect(await live.get({ at: expiresAt })).toEqual({ n: 0 });
    const changed = await prepared(db, 'test.expireSessions', (d, t) => d.update(t.webSessions).set({ expiresAt: bind('at') }).where(eq(t.webSessions.instanceAdmin, bind('admin')))).run({
      at: createdAt,
      admin: true,
    });
    expect(changed).toBe(1);
    expect(await queryRows(db, sql`select count(*) as n from web_sessions`)).toEqual([{ n: 1 }]);
  });

  it('pages through prepared statements with a limit and an offset (written into the SQL on SQLite)', async () => {
    const { db } = await open(backend);
    const { organisations } = db.tables;
    for (const n of [1, 2, 3, 4]) await db.insert(organisations).values({ id: `org_${n}`, name: `Shop ${n}`, features: { coupons: false }, createdAt });
    const first = prepared(db, 'test.firstOrgAfter', (d, t) => d.select({ id: t.organisations.id }).from(t.organisations).where(sql`${t.organisations.id} > ${bind('after')}`).orderBy(t.organisations.id).limit(1));
    expect(await first.get({ after: 'org_1' })).toEqual({ id: 'org_2' });
    expect(await first.all({ after: 'org_0' })).toEqual([{ id: 'org_1' }]);
    const page = prepared(db, 'test.orgPage', (d, t) => d.select({ id: t.organisations.id, name: t.organisations.name }).from(t.organisations).orderBy(t.organisations.id).limit(2).offset(1));
    expect(await page.all({})).toEqual([
      { id: 'org_2', name: 'Shop 2' },
      { id: 'org_3', name: 'Shop 3' },
    ]);
    const bound = prepared(db, 'test.orgPageBound', (d, t) => d.select({ id: t.organisations.id }).from(t.organisations).orderBy(t.organisations.id).limit(sql.placeholder('n')));
    expect(await bound.all({ n: 3 })).toEqual([{ id: 'org_1' }, { id: 'org_2' }, { id: 'org_3' }]);
    expect(await bound.all({ n: 1 })).toEqual([{ id: 'org_1' }]);
  });

  it('inserts pool codes in bulk, skipping codes the organisation already has', async () => {
    const { db } = await open(backend);
    const { organisations, coupons, codeSpaces, pools } = db.tables;
    const poolOf = async (org: string) => {
      await db.insert(organisations).values({ id: org, name: org, features: { coupons: true }, createdAt });
      await db.insert(coupons).values({ id: `cpn_${org}`, orgId: org, name: 'Pool', codeType: 'unique', startsAt: createdAt, active: true, usageExpiry: {}, redeemPage: {}, contactTags: {}, createdAt, updatedAt: createdAt });
      const [space] = await db.insert(codeSpaces).values({ orgId: org }).returning();
      const [pool] = await db.insert(pools).values({ couponId: `cpn_${org}`, spaceId: space!.id }).returning();
      return { poolId: pool!.id, spaceId: space!.id };
    };
    const a = await poolOf('org_a');
    const codes = Array.from({ length: 1_200 }, (_, i) => `CODE${i}`);
    expect(await countInsertedPoolCodes(db, a, codes)).toBe(1_200);
    expect(await insertPoolCodes(db, a, ['CODE5', 'NEW1', 'NEW2'])).toEqual(['NEW1', 'NEW2']);
    // another organisation's pool may hold the same code
    expect(await insertPoolCodes(db, await poolOf('org_b'), ['CODE5'])).toEqual(['CODE5']);
  });
});

describe('concurrent transactions', () => {
  it('on SQLite, take turns within one process: read-then-write never interleaves', async () => {
    const { db } = await open('sqlite');
    await seedCounter(db);
    await Promise.all(Array.from({ length: 50 }, () => increment(db)));
    expect(await counter(db)).toBe(50);
  });

  it('on PostgreSQL, serialise on lockForUpdate across connections and pools', async () => {
    const first = await open('postgres');
    await seedCounter(first.db);
    // a second pool on the same database, as another process would have
    const other = await connectDatabase({ url: first.url, migrate: false });
    opened.push(other);
    await Promise.all(Array.from({ length: 60 }, (_, i) => increment(i % 2 ? first.db : other.db)));
    expect(await counter(first.db)).toBe(60);
  });
});

async function seedCounter(db: DatabaseHandle['db']) {
  await db.insert(db.tables.organisations).values({ id: 'org_counter', name: '0', features: { coupons: true }, createdAt });
}

async function counter(db: DatabaseHandle['db']) {
  const [row] = await db.select({ name: db.tables.organisations.name }).from(db.tables.organisations);
  return Number(row!.name);
}

/** A read-modify-write that loses updates unless transactions on the row are serialised. */
function increment(db: DatabaseHandle['db']) {
  return writeTransaction(db, async (tx) => {
    const { organisations } = tx.tables;
    await lockForUpdate(tx, 'org', 'org_counter');
    const [row] = await tx.select({ name: organisations.name }).from(organisations).where(eq(organisations.id, 'org_counter'));
    await new Promise((resume) => setImmediate(resume));
    await tx.update(organisations).set({ name: String(Number(row!.name) + 1) }).where(eq(organisations.id, 'org_counter'));
  });
}

describe('group commit on SQLite', () => {
  it('gives each of many transactions requested together its own outcome, and keeps only the ones that did not throw', async () => {
    const { db } = await open('sqlite');
    const { organisations } = db.tables;
    const outcomes = await Promise.allSettled(
      Array.from({ length: 40 }, (_, i) =>
        writeTransaction(db, async (tx) => {
          await tx.insert(organisations).values({ id: `org_${i}`, name: `Shop ${i}`, features: { coupons: true }, createdAt });
          if (i % 4 === 3) throw new Error(`shop ${i} refused`);
          return i;
        }),
      ),
    );
    outcomes.forEach((outcome, i) =>
      expect(outcome, `transaction ${i}`).toEqual(i % 4 === 3 ? { status: 'rejected', reason: new Error(`shop ${i} refused`) } : { status: 'fulfilled', value: i }),
    );
    const kept = (await db.select({ id: organisations.id }).from(organisations)).map((row) => row.id).sort();
    expect(kept).toEqual(Array.from({ length: 40 }, (_, i) => i).filter((i) => i % 4 !== 3).map((i) => `org_${i}`).sort());
    // requested in the same turn of the event loop, they shared one commit
    expect(sqliteCommits(db)).toEqual({ commits: 1, transactions: 40, busyWaits: 0 });
  });

  it('runs re-runnable transactions without savepoints; when one throws, the batch runs again and keeps all but that one', async () => {
    const { db } = await open('sqlite');
    const { organisations } = db.tables;
    const runs = new Map<number, number>();
    const outcomes = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) =>
        writeTransaction(
          db,
          async (tx) => {
            runs.set(i, (runs.get(i) ?? 0) + 1);
            await tx.insert(organisations).values({ id: `org_${i}`, name: `Shop ${i}`, features: { coupons: true }, createdAt });
            if (i === 6) throw new Error('shop 6 refused');
            return i;
          },
          { rerunnable: true },
        ),
      ),
    );
    outcomes.forEach((outcome, i) => expect(outcome, `transaction ${i}`).toEqual(i === 6 ? { status: 'rejected', reason: new Error('shop 6 refused') } : { status: 'fulfilled', value: i }));
    const kept = (await db.select({ id: organisations.id }).from(organisations)).map((row) => row.id).sort();
    expect(kept).toEqual(['org_0', 'org_1', 'org_2', 'org_3', 'org_4', 'org_5', 'org_7', 'org_8', 'org_9']);
    // up to the one that threw, each ran twice (the first run rolled back with the batch); after it, once
    expect([...runs].sort(([a], [b]) => a - b).map(([, n]) => n)).toEqual([2, 2, 2, 2, 2, 2, 2, 1, 1, 1]);
    expect(sqliteCommits(db)).toEqual({ commits: 1, transactions: 10, busyWaits: 0 });
  });

  it('waits for another process holding the write lock without freezing its own event loop, then commits after it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'couponflow-busy-'));
    try {
      const url = `file:${join(dir, 'shared.db')}`;
      const first = await open('sqlite', url);
      const second = await open('sqlite', url);
      const busyTimeout = second.db.$client.pragma('busy_timeout', { simple: true });
      const { organisations } = first.db.tables;
      let letGo!: () => void;
      const holding = writeTransaction(first.db, async (tx) => {
        await tx.insert(organisations).values({ id: 'org_first', name: 'First', features: { coupons: true }, createdAt });
        await new Promise<void>((resolve) => (letGo = resolve));
      });
      await new Promise((resume) => setImmediate(resume));
      const waiting = writeTransaction(second.db, async (tx) => {
        await tx.insert(organisations).values({ id: 'org_second', name: 'Second', features: { coupons: true }, createdAt });
        return (await tx.select({ id: organisations.id }).from(organisations)).map((row) => row.id).sort();
      });
      // The second connection found the lock taken and waits on a timer: this process still runs
      // (SQLite's own busy wait would block right here until its timeout, with the first stuck too).
      await new Promise((resume) => setImmediate(resume));
      expect(sqliteCommits(second.db).busyWaits).toBeGreaterThan(0);
      letGo();
      await holding;
      expect(await waiting).toEqual(['org_first', 'org_second']);
      // Outside its BEGIN the connection keeps its own busy timeout (statements outside a transaction wait as before).
      expect(second.db.$client.pragma('busy_timeout', { simple: true })).toBe(busyTimeout);
      expect(busyTimeout).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
