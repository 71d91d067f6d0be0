import { eq, sql } from 'drizzle-orm';
import { afterEach, describe, expect, inject, it } from 'vitest';
import type { Database, DatabaseHandle } from './database';
import { bind, prepared } from './preparedQuery';
import { backends, openTestDatabase } from './testing';
import { incrementAtCommit, pendingIncrements, sqliteCommits, writeTransaction } from './writeTransaction';

const opened: DatabaseHandle[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((handle) => handle.close()));
});

const createdAt = new Date('2026-06-01T12:00:00.123Z');

/** An organisation with one campaign, `cpn_a`, nothing issued yet. */
async function campaign(backend: (typeof backends)[number]): Promise<Database> {
  const handle = await openTestDatabase(backend, inject('postgresUrl'));
  opened.push(handle);
  const { db } = handle;
  const { organisations, coupons } = db.tables;
  await db.insert(organisations).values({ id: 'org_a', name: 'Shop', features: { coupons: true }, createdAt });
  await db.insert(coupons).values({ id: 'cpn_a', orgId: 'org_a', name: 'Ten off', codeType: 'common', codeValue: 'TEN', startsAt: createdAt, active: true, usageExpiry: {}, redeemPage: {}, contactTags: {}, createdAt, updatedAt: createdAt });
  return db;
}

/** The counter as a read prepared to add the pending increments sees it (as distribute's offerContext). */
async function issuedSeenByEngine(tx: Database): Promise<number> {
  const row = await prepared(tx, 'issuedOfCampaign', (d, { coupons }) => d.select({ issued: coupons.issuedCount }).from(coupons).where(eq(coupons.id, bind('id'))), {
    addsPendingIncrements: true,
  }).get({ id: 'cpn_a' });
  return row!.issued + pendingIssued(tx);
}

const pendingIssued = (db: Database) => pendingIncrements(db, 'coupons', 'cpn_a')?.get('issuedCount') ?? 0;

/** The counter as any other statement sees it. */
async function issuedSeenByOthers(db: Database): Promise<number> {
  const { coupons } = db.tables;
  const [row] = await db.select({ issued: coupons.issuedCount }).from(coupons).where(eq(coupons.id, 'cpn_a'));
  return row!.issued;
}

/** One offer: the shop reads the count so far, then counts itself in (`fails`: throws after that). */
function offer(db: Database, rerunnable: boolean, fails = false): Promise<number> {
  return writeTransaction(
    db,
    async (tx) => {
      const before = await issuedSeenByEngine(tx);
      if (!incrementAtCommit(tx, 'coupons', 'cpn_a', 'issuedCount')) {
        const { coupons } = tx.tables;
        await tx
          .update(coupons)
          .set({ issuedCount: sql`${coupons.issuedCount} + 1` })
          .where(eq(coupons.id, 'cpn_a'));
      }
      if (fails) throw new Error('the channel refused the offer');
      return before;
    },
    { rerunnable },
  );
}

describe('SQLite counter increments left for the commit', () => {
  it('a batch of offers counts each one, and each offer sees the count of those before it', async () => {
    const db = await campaign('sqlite');
    const commitsBefore = sqliteCommits(db).commits;
    const seen = await Promise.all(Array.from({ length: 20 }, () => offer(db, true)));
    expect(seen).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(sqliteCommits(db).commits - commitsBefore).toBe(1);
    expect(await issuedSeenByOthers(db)).toBe(20);
  });

  it('wait for the commit: the row has not moved until a statement naming the table runs, which sees them all', async () => {
    const db = await campaign('sqlite');
    const seen = await writeTransaction(db, async (tx) => {
      for (let i = 0; i < 3; i++) expect(incrementAtCommit(tx, 'coupons', 'cpn_a', 'issuedCount')).toBe(true);
      const pending = pendingIssued(tx);
      return { pending, byOthers: await issuedSeenByOthers(tx), pendingAfter: pendingIssued(tx) };
    });
    expect(seen).toEqual({ pending: 3, byOthers: 3, pendingAfter: 0 });
    expect(await issuedSeenByOthers(db)).toBe(3);
  });

  it.each([
    ['with a savepoint each', false],
    ['run again after a rollback of the batch', true],
  ])('an offer that throws is not counted (%s)', async (_, rerunnable) => {
    const db = await campaign('sqlite');
    const outcomes = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => offer(db, rerunnable, i === 4)));
    expect(outcomes.filter((outcome) => outcome.status === 'rejected')).toHaveLength(1);
    expect(outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : [])).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(await issuedSeenByOthers(db)).toBe(9);
  });

  it('a nested transaction that rolls back takes its increments with it, even those a read inside it wrote', async () => {
    const db = await campaign('sqlite');
    await writeTransaction(db, async (tx) => {
      incrementAtCommit(tx, 'coupons', 'cpn_a', 'issuedCount');
      await writeTransaction(tx, async (inner) => {
        incrementAtCommit(inner, 'coupons', 'cpn_a', 'issuedCount', 10);
        expect(await issuedSeenByOthers(inner)).toBe(11);
        incrementAtCommit(inner, 'coupons', 'cpn_a', 'issuedCount', 100);
        throw new Error('inner fails');
      }).catch(() => undefined);
      expect(await issuedSeenByEngine(tx)).toBe(1);
      incrementAtCommit(tx, 'coupons', 'cpn_a', 'issuedCount');
    });
    expect(await issuedSeenByOthers(db)).toBe(2);
  });
});

describe.each(backends)('on %s', (backend) => {
  it('counts every offer of a busy moment exactly once', async () => {
    const db = await campaign(backend);
    await Promise.all(Array.from({ length: 12 }, () => offer(db, true)));
    expect(await issuedSeenByOthers(db)).toBe(12);
    expect(pendingIssued(db)).toBe(0);
  });
});
