import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { and, eq, isNotNull, ne } from 'drizzle-orm';
import { connectDatabase, type DatabaseDialect } from '@couponflow/db';
import { backends } from '@couponflow/db/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createCouponEngine } from './couponEngine';
import type { GoMessage, WorkerJob, WorkerMessage } from './testing/redeemWorker';
import { couponInput, expectOk, testWorld } from './testing/testEngine';

/**
 * SPEC §2.4: "many processes redeeming at once never exceed totalLimit nor perCustomerLimit, and
 * never hand one unique code to two records". Real OS processes, each with its own connection to
 * one SQLite file or its own pool on one PostgreSQL database (as servers on several hosts would
 * have), race for a unique-code coupon; the database must tell a clean story afterwards.
 */
const here = dirname(fileURLToPath(import.meta.url));
const workerScript = join(here, 'testing', 'redeemWorker.ts');
const repoRoot = resolve(here, '..', '..');

const processes = 4;
const attemptsPerProcess = 1000;
// Few enough customers that many reach their limit of 2 before the coupon runs out at 100.
const customers = 120;
const perCustomerLimit = 2;
const totalLimit = 100;
const poolSize = 120;
type Done = Extract<WorkerMessage, { type: 'done' }>;

describe.each(backends)('on %s, redeeming from many processes at once', (backend) => {
  let dir: string | undefined;
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it(`${processes} processes × ${attemptsPerProcess} attempts hand out exactly ${totalLimit} codes, at most ${perCustomerLimit} per customer`, async () => {
    dir = mkdtempSync(join(tmpdir(), 'couponflow-race-'));
    const { dbUrl, ...race } = await createRaceCoupon(backend, `file:${join(dir, 'x.db')}`);

    const workers = Array.from({ length: processes }, () => startWorker({ dbUrl, ...race, attempts: attemptsPerProcess, customers }));
    children.push(...workers.map((w) => w.child));
    await Promise.all(workers.map((w) => w.ready));
    const go: GoMessage = { type: 'go', startAt: Date.now() + 250 };
    for (const worker of workers) worker.child.send(go);
    const reports = await Promise.all(workers.map((w) => w.done));

    expectOnlyLimitRefusals(reports);
    await expectCleanDatabase(dbUrl, race, reports);
  });
});

/** A unique-code coupon limited to 100 redemptions, 1 per customer, with more codes than that. */
async function createRaceCoupon(backend: DatabaseDialect, sqliteUrl: string) {
  const world = await testWorld(backend, sqliteUrl);
  try {
    const engine = createCouponEngine({ db: world.db });
    const startsAt = new Date(Date.now() - 60 * 60 * 1000).toISOString();
    const coupon = expectOk(
      await engine.createCoupon(world.orgId, couponInput({ code: { type: 'unique' }, activePeriod: { startsAt, endsAt: null }, totalLimit, perCustomerLimit })),
    );
    expectOk(await engine.generateCodes(world.orgId, coupon.id, poolSize));
    return { dbUrl: world.url, orgId: world.orgId, couponId: coupon.id };
  } finally {
    await world.close();
  }
}

/** `node --import tsx redeemWorker.ts`, resolved when it says ready and when it reported and exited. */
function startWorker(job: WorkerJob) {
  const child = fork(workerScript, [JSON.stringify(job)], { cwd: repoRoot, execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let report: Done | undefined;
  const ready = new Promise<void>((resolveReady, reject) => {
    child.on('message', (message: WorkerMessage) => {
      if (message.type === 'ready') resolveReady();
      else report = message;
    });
    child.once('exit', () => reject(new Error('worker exited before it was ready')));
  });
  const done = new Promise<Done>((resolveDone, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (code === 0 && report) resolveDone(report);
      else reject(new Error(`worker ${child.pid} exited with ${code ?? signal} ${report ? 'after' : 'before'} reporting`));
    });
  });
  ready.catch(() => {}); // `done` carries the same failure
  return { child, ready, done };
}

/** Every attempt either redeemed or was refused by a limit; nothing else went wrong in any process. */
function expectOnlyLimitRefusals(reports: Done[]) {
  const allowed = ['redeem:ok', ...['distribute', 'redeem'].flatMap((a) => [`${a}:customer_max_uses_reached`, `${a}:coupon_max_uses_reached`])];
  for (const { outcomes } of reports) {
    expect(Object.keys(outcomes).filter((outcome) => !allowed.includes(outcome)), 'unexpected outcomes').toEqual([]);
    expect(Object.values(outcomes).reduce((a, b) => a + b, 0), 'attempts reported').toBe(attemptsPerProcess);
  }
  const refused = (reason: string) => reports.reduce((n, r) => n + (r.outcomes[`distribute:${reason}`] ?? 0) + (r.outcomes[`redeem:${reason}`] ?? 0), 0);
  expect(refused('coupon_max_uses_reached'), 'refusals at the coupon limit').toBeGreaterThan(0);
  expect(refused('customer_max_uses_reached'), 'refusals at a customer limit').toBeGreaterThan(0);
}

async function expectCleanDatabase(dbUrl: string, { orgId, couponId }: { orgId: string; couponId: string }, reports: Done[]) {
  const { db, close } = await connectDatabase({ url: dbUrl, migrate: false });
  try {
    const { redemptionRecords: r, poolCodes, pools, redemptionEvents } = db.tables;
    const redeemed = await db
      .select({ id: r.id, customerId: r.customerId, code: r.code, status: r.status })
      .from(r)
      .where(and(eq(r.couponId, couponId), isNotNull(r.redeemedAt)));
    expect(redeemed, 'records redeemed').toHaveLength(totalLimit);
    expect(redeemed.every((record) => record.status === 'redeemed' && record.code !== null)).toBe(true);
    const perCustomer = new Map<string, number>();
    for (const record of redeemed) perCustomer.set(record.customerId, (perCustomer.get(record.customerId) ?? 0) + 1);
    expect([...perCustomer.values()].filter((n) => n > perCustomerLimit), 'customers over their limit').toEqual([]);
    expect([...perCustomer.values()].filter((n) => n === perCustomerLimit).length, 'customers at their limit').toBeGreaterThan(0);

    const codesHeld = await db.select({ code: r.code }).from(r).where(isNotNull(r.code));
    expect(new Set(codesHeld.map((row) => row.code)).size, 'distinct codes held by records').toBe(codesHeld.length);

    const coupon = expectOk(await createCouponEngine({ db }).getCoupon(orgId, couponId));
    expect(coupon.redeemedCount, 'coupon redeemedCount').toBe(totalLimit);

    // The pool agrees with the records: each taken code points at the record that shows it.
    const { takenCodes } = db.tables;
    const taken = await db
      .select({ id: takenCodes.recordId, code: poolCodes.code })
      .from(takenCodes)
      .innerJoin(poolCodes, eq(poolCodes.id, takenCodes.codeId))
      .innerJoin(pools, eq(pools.id, poolCodes.poolId))
      .where(eq(pools.couponId, couponId));
    expect(taken, 'pool codes taken').toHaveLength(totalLimit);
    // Codes went out in the pool's order: the taken ones are its first, up to the coupon's mark.
    const pool = await db.select({ code: poolCodes.code, id: poolCodes.id }).from(poolCodes).innerJoin(pools, eq(pools.id, poolCodes.poolId)).where(eq(pools.couponId, couponId)).orderBy(poolCodes.id);
    expect(taken.map((row) => row.code).sort()).toEqual(pool.slice(0, totalLimit).map((row) => row.code).sort());
    const [mark] = await db.select({ id: db.tables.coupons.lastTakenCodeId }).from(db.tables.coupons).where(eq(db.tables.coupons.id, couponId));
    expect(mark!.id, 'the coupon marks the last code taken').toBe(pool[totalLimit - 1]!.id);
    const byRecord = (rows: Array<{ id: string | null; code: string | null }>) => rows.map((row) => `${row.id}=${row.code}`).sort();
    expect(byRecord(taken)).toEqual(byRecord(redeemed));

    // What the workers were told matches the database: same code for the same record, every redemption seen.
    const told = reports.flatMap((report) => report.redeemed);
    const codeOf = new Map(redeemed.map((record) => [record.id, record.code]));
    expect(told.filter((t) => codeOf.get(t.recordId) !== t.code), 'answers that disagree with the database').toEqual([]);
    expect(new Set(told.map((t) => t.recordId)).size, 'redemptions some worker saw').toBe(totalLimit);

    // SPEC §2.4: every refused attempt is kept as an event, under contention too.
    const refusalsTold = reports.flatMap((report) => Object.entries(report.outcomes)).filter(([o]) => o !== 'redeem:ok');
    const refusalEvents = await db.select({ id: redemptionEvents.id }).from(redemptionEvents).where(ne(redemptionEvents.outcome, 'ok'));
    expect(refusalEvents.length, 'refusal events').toBe(refusalsTold.reduce((sum, [, n]) => sum + n, 0));
  } finally {
    await close();
  }
}
