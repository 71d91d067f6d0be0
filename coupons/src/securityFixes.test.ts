import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { eq, sql } from 'drizzle-orm';
import { openDatabase, type Database } from '@couponflow/db';
import { backends } from '@couponflow/db/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createCouponEngine } from './couponEngine';
import { maxReportedRejections, RejectionLog } from './csvLines';
import { couponInput, createOrg, expectOk, TestClock, testWorld, type TestWorld } from './testing/testEngine';

let w: TestWorld;
afterEach(() => w.close());

const offer = (couponId: string, customerId: string, idempotencyKey?: string) => ({
  couponId,
  customerId,
  inboxId: 'inbox1',
  channel: 'webchat',
  ...(idempotencyKey ? { idempotencyKey } : {}),
});

describe.each(backends)('on %s', (backend) => {
  describe('an idempotency key names one offer of one coupon', () => {
    it('never answers coupon B with coupon A’s record, nor a coupon that does not exist', async () => {
      w = await testWorld(backend);
      const a = expectOk(await w.engine.createCoupon(w.orgId, couponInput({ code: { type: 'common', value: 'AAAA-1' } })));
      const b = expectOk(await w.engine.createCoupon(w.orgId, couponInput({ code: { type: 'common', value: 'BBBB-1' } })));
      const bobsA = expectOk(await w.engine.distribute(w.orgId, offer(a.id, 'bob', 'k1'))).record;
      const onB = expectOk(await w.engine.distribute(w.orgId, offer(b.id, 'carol', 'k1')));
      expect(onB).toMatchObject({ created: true, record: { couponId: b.id, customerId: 'carol' } });
      expect(onB.record.id).not.toBe(bobsA.id);
      expect(await w.engine.distribute(w.orgId, offer('cpn_nope', 'bob', 'k1'))).toMatchObject({ ok: false, reason: 'coupon_not_found' });
      expect(expectOk(await w.engine.distribute(w.orgId, offer(a.id, 'bob', 'k1')))).toMatchObject({ created: false, record: { id: bobsA.id } });
    });

    it('holds when the same key arrives many times at once: one record, every answer names it', async () => {
      w = await testWorld(backend);
      const coupon = expectOk(await w.engine.createCoupon(w.orgId, couponInput()));
      const answers = await Promise.all(Array.from({ length: 12 }, () => w.engine.distribute(w.orgId, offer(coupon.id, 'dave', 'run-1:node-1'))));
      const records = answers.map((answer) => expectOk(answer));
      expect(records.filter((r) => r.created)).toHaveLength(1);
      expect(new Set(records.map((r) => r.record.id)).size).toBe(1);
      expect(expectOk(await w.engine.getCoupon(w.orgId, coupon.id)).issuedCount).toBe(1);
    });
  });

  describe('a pool code never equals the organisation’s common code', () => {
    it('import refuses it as duplicate_existing, and a common code equal to a pool code is refused', async () => {
      w = await testWorld(backend);
      expectOk(await w.engine.createCoupon(w.orgId, couponInput({ code: { type: 'common', value: 'WELCOME10' } })));
      const pool = expectOk(await w.engine.createCoupon(w.orgId, couponInput({ code: { type: 'unique' } })));
      const report = expectOk(await w.engine.importCodes(w.orgId, pool.id, Readable.from(['WELCOME10\nPOOL-0001\n'])));
      expect(report).toMatchObject({ added: 1, rejected: [{ line: 1, value: 'WELCOME10', reason: 'duplicate_existing' }] });
      const clash = await w.engine.createCoupon(w.orgId, couponInput({ code: { type: 'common', value: 'POOL-0001' } }));
      expect(clash).toMatchObject({ ok: false, reason: 'code_taken' });
    });

    it('generate skips it', async () => {
      w = await testWorld(backend);
      // 300 common codes in a 6-digit space; drawing 10% of the space would hit about 30 of them.
      const commons = new Set<string>();
      for (let i = 0; i < 300; i++) {
        const value = String(100_000 + i * 2_999).padStart(6, '0');
        commons.add(value);
        expectOk(await w.engine.createCoupon(w.orgId, couponInput({ name: `c${i}`, code: { type: 'common', value } })));
      }
      const pool = expectOk(await w.engine.createCoupon(w.orgId, couponInput({ code: { type: 'unique', charset: 'numeric', length: 6 } })));
      expectOk(await w.engine.generateCodes(w.orgId, pool.id, 100_000));
      const { poolCodes, pools } = w.db.tables;
      const codes = await w.db.select({ code: poolCodes.code }).from(poolCodes).innerJoin(pools, eq(pools.id, poolCodes.poolId)).where(eq(pools.couponId, pool.id));
      expect(codes).toHaveLength(100_000);
      expect(codes.filter((c) => commons.has(c.code))).toEqual([]);
    });

    it('two coupons created at once with one common code: one gets it, the other is told code_taken', async () => {
      w = await testWorld(backend);
      const answers = await Promise.all([1, 2].map((n) => w.engine.createCoupon(w.orgId, couponInput({ name: `twin ${n}`, code: { type: 'common', value: 'TWIN-1' } }))));
      expect(answers.map((a) => (a.ok ? 'ok' : a.reason)).sort()).toEqual(['code_taken', 'ok']);
    });
  });

  describe('pool writes', () => {
    it('a batch that fails half-way leaves nothing behind', async () => {
      w = await testWorld(backend);
      const coupon = expectOk(await w.engine.createCoupon(w.orgId, couponInput({ code: { type: 'unique' } })));
      const failing = w.engine.generateCodes(w.orgId, coupon.id, 25_000, {
        afterChunk: (written) => {
          if (written >= 20_000) throw new Error('disk full');
        },
      });
      await expect(failing).rejects.toThrow('disk full');
      const { poolCodes, poolBatches } = w.db.tables;
      expect(await w.db.select().from(poolCodes)).toHaveLength(0);
      expect(await w.db.select().from(poolBatches)).toHaveLength(0);
      expect(expectOk(await w.engine.getCoupon(w.orgId, coupon.id)).poolSize).toBe(0);
      expectOk(await w.engine.generateCodes(w.orgId, coupon.id, 10));
    });

    it('a failed batch takes only its own codes: the pool’s earlier codes and another pool’s codes written meanwhile stay', async () => {
      w = await testWorld(backend);
      const coupon = expectOk(await w.engine.createCoupon(w.orgId, couponInput({ code: { type: 'unique' } })));
      const other = expectOk(await w.engine.createCoupon(w.orgId, couponInput({ name: 'Other', code: { type: 'unique' } })));
      expectOk(await w.engine.generateCodes(w.orgId, coupon.id, 500));
      const failing = w.engine.generateCodes(w.orgId, coupon.id, 25_000, {
        afterChunk: async (written) => {
          if (written === 10_000) expectOk(await w.engine.generateCodes(w.orgId, other.id, 300));
          if (written >= 20_000) throw new Error('disk full');
        },
      });
      await expect(failing).rejects.toThrow('disk full');
      const { poolCodes, pools } = w.db.tables;
      const left = await w.db
        .select({ couponId: pools.couponId, codes: sql<number>`count(*)` })
        .from(poolCodes)
        .innerJoin(pools, eq(pools.id, poolCodes.poolId))
        .groupBy(pools.couponId);
      expect(Object.fromEntries(left.map((row) => [row.couponId, Number(row.codes)]))).toEqual({ [coupon.id]: 500, [other.id]: 300 });
      expect(expectOk(await w.engine.getCoupon(w.orgId, coupon.id)).poolSize).toBe(500);
      expect(expectOk(await w.engine.getCoupon(w.orgId, other.id)).poolSize).toBe(300);
    });

    it('two uploads into one pool at once: one runs, the other is told pool_busy', async () => {
      w = await testWorld(backend);
      const coupon = expectOk(await w.engine.createCoupon(w.orgId, couponInput({ code: { type: 'unique' } })));
      const answers = await Promise.all([1, 2].map(() => w.engine.generateCodes(w.orgId, coupon.id, 15_000)));
      expect(answers.map((a) => (a.ok ? 'ok' : a.reason)).sort()).toEqual(['ok', 'pool_busy']);
      expect(expectOk(await w.engine.getCoupon(w.orgId, coupon.id)).poolSize).toBe(15_000);
    });
  });

  describe('an upload of bad lines keeps a bounded report', () => {
    it('lists the first 1,000 refused lines and counts all of them by reason', async () => {
      w = await testWorld(backend);
      const coupon = expectOk(await w.engine.createCoupon(w.orgId, couponInput({ code: { type: 'unique' } })));
      const lines = Array.from({ length: 5000 }, (_, i) => (i % 2 ? '!bad!' : 'X'.repeat(40)));
      const report = expectOk(await w.engine.importCodes(w.orgId, coupon.id, Readable.from([lines.join('\n')])));
      expect(report.rejected).toHaveLength(maxReportedRejections);
      expect(report.rejected[0]).toEqual({ line: 1, value: 'X'.repeat(40), reason: 'too_long' });
      expect(report.rejected.at(-1)!.line).toBe(1000);
      expect(report).toMatchObject({ added: 0, rejectedCount: 5000, rejectedByReason: { too_long: 2500, invalid_format: 2500, duplicate_in_file: 0, duplicate_existing: 0 } });
    });
  });
});

it('never holds more than twice the report’s size, whatever the file, and keeps the lowest lines', () => {
  const log = new RejectionLog<'invalid_format'>();
  let most = 0;
  for (let line = 200_000; line > 0; line--) {
    log.add(line, 'value', 'invalid_format');
    most = Math.max(most, log.held);
  }
  expect(most).toBeLessThanOrEqual(2 * maxReportedRejections);
  expect(log.total).toBe(200_000);
  expect(log.report().map((r) => r.line)).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
});

// SQLite-only by nature: another connection holds SQLite's single write lock (BEGIN IMMEDIATE).
describe('on SQLite, page views and pool writes stay off the write lock', () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('opening an already opened page writes nothing, so it works while another process holds the write lock', async () => {
    dir = mkdtempSync(join(tmpdir(), 'cf-open-'));
    const url = `file:${join(dir, 'db.sqlite')}`;
    const main = openDatabase({ url, busyTimeoutMs: 50 });
    w = await testWorldOn(main.db, url, async () => main.close());
    const coupon = expectOk(await w.engine.createCoupon(w.orgId, couponInput()));
    const { record } = expectOk(await w.engine.distribute(w.orgId, offer(coupon.id, 'alice')));
    expectOk(await w.engine.open(record.token));
    const other = openDatabase({ url, busyTimeoutMs: 50 });
    other.db.$client.exec('BEGIN IMMEDIATE');
    try {
      expect(expectOk(await w.engine.open(record.token)).record.status).toBe('opened');
    } finally {
      other.db.$client.exec('ROLLBACK');
      other.close();
    }
  });

  it('generates in chunks: between chunks others may write, and the codes count only once the batch completes', async () => {
    dir = mkdtempSync(join(tmpdir(), 'cf-pool-'));
    const url = `file:${join(dir, 'db.sqlite')}`;
    const main = openDatabase({ url, busyTimeoutMs: 50 });
    w = await testWorldOn(main.db, url, async () => main.close());
    const coupon = expectOk(await w.engine.createCoupon(w.orgId, couponInput({ code: { type: 'unique' } })));
    expectOk(await w.engine.generateCodes(w.orgId, coupon.id, 1));
    const { record } = expectOk(await w.engine.distribute(w.orgId, offer(coupon.id, 'bob')));
    expectOk(await w.engine.redeem(expectOk(await w.engine.distribute(w.orgId, offer(coupon.id, 'alice'))).record.token));
    const other = openDatabase({ url, busyTimeoutMs: 50 });
    const seen: Array<{ written: number; poolSize: number; redeem: string; otherWrote: boolean }> = [];
    const result = await w.engine.generateCodes(w.orgId, coupon.id, 25_000, {
      afterChunk: async (written) => {
        // another connection takes the write lock at once: no chunk holds it any longer
        const otherWrote = takesWriteLock(other.db);
        const redeem = await w.engine.redeem(record.token);
        seen.push({ written, poolSize: expectOk(await w.engine.getCoupon(w.orgId, coupon.id)).poolSize, redeem: redeem.ok ? 'ok' : redeem.reason, otherWrote });
      },
    });
    other.close();
    expect(expectOk(result)).toEqual({ added: 25_000, total: 25_001 });
    expect(seen.map((s) => s.written)).toEqual([10_000, 20_000, 25_000]);
    // the half-written batch is invisible: the pool still holds its one (taken) code, bob finds nothing to redeem
    expect(seen.every((s) => s.poolSize === 1 && s.redeem === 'coupon_max_uses_reached' && s.otherWrote)).toBe(true);
    expect((await w.engine.redeem(record.token)).ok).toBe(true);
  });
});

/** Whether this connection gets SQLite's write lock within its busy timeout (then lets it go). */
function takesWriteLock(db: Database): boolean {
  try {
    db.$client.exec('BEGIN IMMEDIATE');
  } catch {
    return false;
  }
  db.$client.exec('ROLLBACK');
  return true;
}

async function testWorldOn(db: Database, url: string, close: () => Promise<void>): Promise<TestWorld> {
  const clock = new TestClock();
  const orgId = await createOrg(db, 'Shop');
  return { db, engine: createCouponEngine({ db, now: clock.now }), clock, orgId, url, close };
}
