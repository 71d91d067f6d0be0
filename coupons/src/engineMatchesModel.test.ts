import { Readable } from 'node:stream';
import { asc, count, eq, ne } from 'drizzle-orm';
import type { DatabaseDialect } from '@couponflow/db';
import { backends } from '@couponflow/db/testing';
import { addContactTag } from './contactTags';
import { describe, expect, it } from 'vitest';
import type { CouponInput, UsageExpiry } from './couponSchema';
import type { VerifyInput } from './verifyRedemption';
import type { RecordView } from './recordView';
import { CouponModel, type Expected, type ModelCoupon, type ModelRecord, type RevokeScope } from './testing/couponModel';
import { couponInput, expectOk, setOrgTimeZone, testWorld, type TestWorld } from './testing/testEngine';

/**
 * Thousands of random operations against the engine, each answer checked against the reference
 * model of SPEC §2.3/§2.4 in ./testing/couponModel. A failure names its seed; rerun one seed with
 * COUPON_MODEL_SEED=<seed> (and COUPON_MODEL_OPS=<n> to change the length).
 */
// PostgreSQL answers each statement over a socket, so it runs fewer seeds and steps in the same time.
const plans: Record<DatabaseDialect, { seeds: number[]; ops: number }> = {
  sqlite: { seeds: [1, 42, 20260601], ops: 3000 },
  postgres: { seeds: [1, 42], ops: 2000 },
};
const seedsOf = (backend: DatabaseDialect) => (process.env.COUPON_MODEL_SEED ? [Number(process.env.COUPON_MODEL_SEED)] : plans[backend].seeds);
const opsOf = (backend: DatabaseDialect) => Number(process.env.COUPON_MODEL_OPS ?? plans[backend].ops);

describe.each(backends)('on %s, the coupon engine answers like the reference model of SPEC §2', (backend) => {
  for (const seed of seedsOf(backend)) it(`agrees on ${opsOf(backend)} random operations (seed ${seed})`, () => runScenario(backend, seed, opsOf(backend)));
});

const minute = 60_000;
const hour = 60 * minute;
const customers = ['cust-a', 'cust-b', 'cust-c', 'cust-d', 'cust-e'];
/** customers tagged `vip` in inbox-1 (a tag audience), and the ids an audience list holds */
const vips = ['cust-a', 'cust-c'];
const listed = ['cust-b', 'cust-c', 'cust-d'];
/** the organisation's zone: +05:30 all year, so the model reads local time as plain arithmetic */
const zone = 'Asia/Kolkata';
const zoneOffsetMinutes = 330;
const weekdayNames = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** mulberry32: a tiny seeded PRNG, so every run of a seed makes the same choices. */
function mulberry32(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  return { next, int, pick, chance: (p: number) => next() < p };
}

interface Run {
  world: TestWorld;
  model: CouponModel;
  rng: ReturnType<typeof mulberry32>;
  seed: number;
  labels: Map<string, string>;
  trail: string[];
}

async function runScenario(backend: DatabaseDialect, seed: number, ops: number) {
  const run: Run = { world: await testWorld(backend), model: new CouponModel(zoneOffsetMinutes), rng: mulberry32(seed), seed, labels: new Map(), trail: [] };
  const { db, orgId } = run.world;
  await setOrgTimeZone(run.world, zone);
  for (const customerId of vips) await addContactTag(db, { orgId, inboxId: 'inbox-1', customerId }, 'vip', new Date());
  try {
    for (let i = 0; i < ops; i++) {
      run.trail.push(`#${i} @${iso(run.world.clock.ms)}`);
      if (!hasOpenCoupon(run)) await createCoupon(run);
      else await pickWeighted(run, steps)(run);
    }
    for (const coupon of run.model.coupons.values()) await checkCoupon(run, coupon);
    if (process.env.COUPON_MODEL_REPORT) console.log(Object.fromEntries(run.model.refusals));
    expect(await refusalEvents(run), 'audit trail of refused attempts').toEqual(Object.fromEntries(run.model.refusals));
  } catch (error) {
    if (error instanceof Error)
      error.message = `seed ${seed} (rerun: COUPON_MODEL_SEED=${seed})\nlast steps:\n  ${run.trail.slice(-14).join('\n  ')}\n${error.message}`;
    throw error;
  } finally {
    await run.world.close();
  }
}

type Step = (run: Run) => void | Promise<void>;
const steps: Array<[number, Step]> = [
  [3, createCoupon],
  [6, generateCodes],
  [24, distribute],
  [8, open],
  [22, redeem],
  [10, verify],
  [4, reverse],
  [3, revoke],
  [3, setActive],
  [2, setLimits],
  [2, changeEnd],
  [10, advanceClock],
  [6, (run) => checkCoupon(run, pickCoupon(run))],
];

function pickWeighted(run: Run, table: Array<[number, Step]>): Step {
  let roll = run.rng.next() * table.reduce((sum, [weight]) => sum + weight, 0);
  for (const [weight, step] of table) if ((roll -= weight) < 0) return step;
  return table[0]![1];
}

const note = (run: Run, text: string) => (run.trail[run.trail.length - 1] += ` ${text}`);
const label = (run: Run, couponId: string) => run.labels.get(couponId) ?? couponId;
const now = (run: Run) => run.world.clock.ms;

const isOpen = (run: Run, c: ModelCoupon) => !c.revoked && c.active && c.startsAt <= now(run) && (c.endsAt === null || c.endsAt > now(run));
const hasOpenCoupon = (run: Run) => [...run.model.coupons.values()].some((c) => isOpen(run, c));

/** Mostly a recent coupon that is open (so records pile up and limits bite), sometimes any recent one. */
function pickCoupon(run: Run, filter: (c: ModelCoupon) => boolean = () => true): ModelCoupon {
  const all = [...run.model.coupons.values()];
  const candidates = all.filter(filter);
  const open = candidates.filter((c) => isOpen(run, c)).slice(-4);
  const recent = open.length && run.rng.chance(0.8) ? open : candidates.slice(-6);
  return run.rng.pick(recent.length ? recent : all);
}

/** A recent record, any record, or (for open and redeem) mostly one still held by its customer. */
function pickRecord(run: Run, preferHeld = false): ModelRecord | undefined {
  const { records } = run.model;
  const held = preferHeld ? records.filter((r) => ['sent', 'opened'].includes(run.model.statusAt(r, now(run)))) : [];
  if (held.length && run.rng.chance(0.6)) return run.rng.pick(held);
  return records.length ? run.rng.pick(run.rng.chance(0.8) ? records.slice(-25) : records) : undefined;
}

async function createCoupon(run: Run) {
  const { rng, world } = run;
  const startsAt = now(run) + rng.int(-24, 6) * hour + rng.int(0, 59) * minute;
  const endsAt = rng.chance(0.2) ? null : startsAt + rng.int(2, 120) * hour;
  const expiries: UsageExpiry[] = [
    { type: 'active_period' },
    { type: 'days_after_sent', days: rng.int(1, 2) },
    { type: 'days_after_redeemed', days: rng.int(1, 2) },
  ];
  const n = run.labels.size;
  const codeKinds = [{ type: 'unique', length: 8 }, { type: 'common' }, { type: 'common', value: `FIX-${run.seed}-${n}` }] as const;
  const input = couponInput({
    name: `coupon ${n}`,
    code: rng.chance(0.5) ? codeKinds[0] : rng.pick(codeKinds.slice(1)),
    activePeriod: { startsAt: iso(startsAt)!, endsAt: iso(endsAt) },
    totalLimit: rng.chance(0.4) ? null : rng.int(1, 8),
    perCustomerLimit: rng.chance(0.4) ? null : rng.int(1, 3),
    active: rng.chance(0.85),
    usageExpiry: rng.pick(expiries),
    ...restrictions(run),
  });
  // A gap between redemptions only shows when a customer may redeem more than once.
  if (input.minHoursBetweenRedemptions && rng.chance(0.7)) input.perCustomerLimit = null;
  const view = expectOk(await world.engine.createCoupon(world.orgId, input));
  if (input.audience?.type === 'list') expectOk(await world.engine.importAudience(world.orgId, view.id, Readable.from([`customer_id\n${listed.join('\n')}\n`])));
  run.labels.set(view.id, `c${n}`);
  note(run, `create c${n} ${JSON.stringify({ ...input, name: undefined })}`);
  const { totalLimit = null, perCustomerLimit = null, active = true } = input;
  const commonCode = view.code.type === 'common' ? view.code.value : null;
  const usageExpiry = input.usageExpiry as UsageExpiry;
  const { redeemableAfterDays = null, minHoursBetweenRedemptions = null, maxIssuedTotal = null, maxIssuedPerCustomer = null, lowStockThreshold = null } = input;
  const w = input.redemptionWindow;
  const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));
  const window = w ? { days: w.days.map((d) => weekdayNames.indexOf(d)), from: minutes(w.from ?? '00:00'), to: minutes(w.to ?? '24:00') } : null;
  const audience = !input.audience ? null : new Set(input.audience.type === 'tag' ? vips : listed);
  run.model.addCoupon({
    ...{ id: view.id, type: view.code.type, commonCode, startsAt, endsAt, totalLimit, perCustomerLimit, active, usageExpiry },
    ...{ redeemableAfterDays, minHoursBetweenRedemptions, window, audience, maxIssuedTotal, maxIssuedPerCustomer, lowStockThreshold },
  });
}

/** Issue 10's restrictions, each on some coupons: timing at redemption, audience and issuing at distribution. */
function restrictions(run: Run): Partial<CouponInput> {
  const { rng } = run;
  const hh = (h: number, half: boolean) => `${String(h).padStart(2, '0')}:${half ? '30' : '00'}`;
  const fromHour = rng.int(0, 20);
  const toHour = rng.int(fromHour + 1, 24);
  const days = weekdayNames.filter(() => rng.chance(0.6));
  return {
    ...(rng.chance(0.12) ? { redeemableAfterDays: 1 } : {}),
    ...(rng.chance(0.2) ? { minHoursBetweenRedemptions: rng.int(6, 48) } : {}),
    ...(rng.chance(0.25) && days.length
      ? { redemptionWindow: { days: [...days], from: hh(fromHour, rng.chance(0.3)), to: toHour === 24 ? '24:00' : hh(toHour, rng.chance(0.3)) } }
      : {}),
    ...(rng.chance(0.2) ? { audience: rng.chance(0.5) ? { type: 'tag' as const, tag: 'vip' } : { type: 'list' as const } } : {}),
    ...(rng.chance(0.25) ? { maxIssuedTotal: rng.int(2, 10) } : {}),
    ...(rng.chance(0.25) ? { maxIssuedPerCustomer: rng.int(1, 3) } : {}),
    ...(rng.chance(0.3) ? { lowStockThreshold: rng.int(0, 3) } : {}),
  };
}

/** Small batches, so pools run empty and `coupon_max_uses_reached` comes from the pool too. */
async function generateCodes(run: Run) {
  const coupon = pickCoupon(run, (c) => c.type === 'unique');
  if (coupon.type !== 'unique') return distribute(run);
  const { db, engine, orgId } = run.world;
  const added = run.rng.int(1, 3);
  note(run, `generate ${added} codes into ${label(run, coupon.id)}`);
  expect(expectOk(await engine.generateCodes(orgId, coupon.id, added))).toEqual({ added, total: coupon.pool.length + added });
  const { poolCodes, pools } = db.tables;
  const pool = await db
    .select({ code: poolCodes.code })
    .from(poolCodes)
    .innerJoin(pools, eq(pools.id, poolCodes.poolId))
    .where(eq(pools.couponId, coupon.id))
    .orderBy(asc(poolCodes.id));
  coupon.pool.push(...pool.map((row) => row.code).filter((code) => !coupon.pool.includes(code)));
}

async function distribute(run: Run) {
  const { rng, world, model } = run;
  const coupon = pickCoupon(run);
  const customerId = rng.pick(customers);
  // Keys repeat across coupons too: a key names one offer of one coupon, never another coupon's record.
  const key = rng.chance(0.4) ? `${customerId}:run${rng.int(0, 2)}` : null;
  note(run, `distribute ${label(run, coupon.id)} to ${customerId} key=${key}`);
  const input = { couponId: coupon.id, customerId, inboxId: 'inbox-1', channel: 'webchat', ...(key ? { idempotencyKey: key } : {}) };
  const actual = await world.engine.distribute(world.orgId, input);
  const expected = model.distribute(coupon.id, customerId, key, now(run));
  expectSameAnswer(actual, expected);
  if (!actual.ok || !expected.ok) return;
  const { record, created } = actual.value;
  expect(created, 'a new record was made').toBe(expected.value.length === 0);
  if (!created) expect(expected.value.map((r) => r.id), 'the record handed back').toContain(record.id);
  const held = expected.value.find((r) => r.id === record.id) ?? model.addRecord({ id: record.id, token: record.token, couponId: coupon.id, customerId, idempotencyKey: key }, now(run));
  expectRecord(run, record, held);
}

const tokenOf = (run: Run, record: ModelRecord | undefined) => (record && !run.rng.chance(0.03) ? record.token : 'no-such-token');

async function open(run: Run) {
  const token = tokenOf(run, pickRecord(run, true));
  note(run, `open ${token.slice(0, 8)}`);
  const actual = await run.world.engine.open(token);
  const expected = run.model.open(token, now(run));
  expectSameAnswer(actual, expected);
  if (actual.ok && expected.ok) expectRecord(run, actual.value.record, expected.value);
}

async function redeem(run: Run) {
  const token = tokenOf(run, pickRecord(run, true));
  note(run, `redeem ${token.slice(0, 8)}`);
  const actual = await run.world.engine.redeem(token);
  const expected = run.model.redeem(token, now(run), () => {
    if (!actual.ok) throw new Error(`the model redeems here, the engine refused with ${actual.reason}`);
    return actual.value.code;
  });
  expectSameAnswer(actual, expected);
  if (!actual.ok || !expected.ok) return;
  expect(actual.value.code, 'redeemed code').toBe(expected.value.code);
  expect(actual.value.expiresAt, 'redeemed code expiresAt').toBe(iso(expected.value.expiresAt));
  expectRecord(run, actual.value.record, expected.value);
}

async function verify(run: Run) {
  const input = pickVerifyInput(run);
  note(run, `verify ${JSON.stringify(input)}`);
  const actual = await run.world.engine.verify(run.world.orgId, input);
  const expected = run.model.verify(input, now(run));
  expectSameAnswer(actual, expected);
  if (actual.ok && expected.ok) {
    expect(actual.value, 'staff never see the redeem token').not.toHaveProperty('token');
    const { token: _token, ...view } = run.model.view(expected.value, now(run));
    expect(actual.value, 'record').toMatchObject(view);
  }
}

/** An admin reverses a redemption (mostly a redeemed or verified one) back to sent or to revoked. */
async function reverse(run: Run) {
  const { rng, world, model } = run;
  const coupon = pickCoupon(run);
  const ofCoupon = model.records.filter((r) => r.couponId === coupon.id);
  const redeemed = ofCoupon.filter((r) => r.redeemedAt !== null);
  const record = redeemed.length && rng.chance(0.8) ? rng.pick(redeemed) : ofCoupon.length ? rng.pick(ofCoupon) : undefined;
  if (!record) return distribute(run);
  const to = rng.chance(0.6) ? ('sent' as const) : ('revoked' as const);
  note(run, `reverse ${record.id.slice(-6)} of ${label(run, coupon.id)} to ${to}`);
  const actual = await world.engine.reverse(world.orgId, coupon.id, record.id, { to });
  const expected = model.reverse(coupon.id, record.id, to, now(run));
  expectSameAnswer(actual, expected);
  if (actual.ok && expected.ok) expectRecord(run, actual.value, expected.value);
}

/** By id, or by a code: one handed out, a free pool code, a common code, or nonsense. */
function pickVerifyInput(run: Run): VerifyInput {
  const { rng, model } = run;
  if (rng.chance(0.35)) return { redemptionId: rng.chance(0.95) ? (pickRecord(run)?.id ?? 'rdm_none') : 'rdm_none' };
  const handedOut = model.records.filter((r) => r.code !== null).slice(-25);
  const coupons = [...model.coupons.values()];
  const free = coupons.flatMap((c) => model.freeCodes(c));
  const commons = coupons.flatMap((c) => (c.commonCode ? [c.commonCode] : []));
  const kind = rng.next();
  if (kind < 0.55 && handedOut.length) return { code: rng.pick(handedOut).code! };
  if (kind < 0.7 && free.length) return { code: rng.pick(free) };
  if (kind < 0.85 && commons.length) return { code: rng.pick(commons) };
  return { code: 'NOPE-0000' };
}

async function revoke(run: Run) {
  const { rng, world } = run;
  const coupon = pickCoupon(run);
  const someCustomers = [rng.pick(customers), rng.pick([...customers, 'cust-nobody'])];
  const roll = rng.next();
  const request: RevokeScope = roll < 0.1 ? { scope: 'coupon' } : roll < 0.5 ? { scope: 'unredeemed' } : { scope: 'customers', customerIds: someCustomers };
  note(run, `revoke ${label(run, coupon.id)} ${JSON.stringify(request)}`);
  const actual = await world.engine.revoke(world.orgId, coupon.id, request);
  const expected = run.model.revoke(coupon.id, request, now(run));
  expectSameAnswer(actual, expected);
  if (actual.ok && expected.ok) expect(actual.value, 'revoked count').toEqual(expected.value);
}

async function setActive(run: Run) {
  const coupon = pickCoupon(run);
  const active = run.rng.chance(0.6);
  note(run, `set ${label(run, coupon.id)} active=${active}`);
  const actual = await run.world.engine.updateCoupon(run.world.orgId, coupon.id, { active });
  expectSameAnswer(actual, run.model.setActive(coupon.id, active));
  if (actual.ok) expect(actual.value.active).toBe(active);
}

/** Admins may raise or lower the limits at any time; redeeming re-checks them (§2.4). */
async function setLimits(run: Run) {
  const { rng } = run;
  const coupon = pickCoupon(run);
  const limits = {
    totalLimit: rng.chance(0.3) ? null : rng.int(1, 8),
    perCustomerLimit: rng.chance(0.3) ? null : rng.int(1, 3),
    ...(rng.chance(0.3) ? { maxIssuedTotal: rng.chance(0.5) ? null : rng.int(2, 12), maxIssuedPerCustomer: rng.chance(0.5) ? null : rng.int(1, 3) } : {}),
  };
  note(run, `set ${label(run, coupon.id)} ${JSON.stringify(limits)}`);
  const actual = await run.world.engine.updateCoupon(run.world.orgId, coupon.id, limits);
  expectSameAnswer(actual, run.model.setLimits(coupon.id, limits));
  if (actual.ok) expect(actual.value).toMatchObject(limits);
}

/** Extends the period (or tries to shorten it, which §2.1 refuses). */
async function changeEnd(run: Run) {
  const { rng } = run;
  const coupon = pickCoupon(run);
  const base = coupon.endsAt ?? Math.max(now(run), coupon.startsAt); // a valid period ends after it starts
  let endsAt: number | null = base + rng.int(1, 48) * hour;
  if (rng.chance(0.15)) endsAt = null;
  else if (rng.chance(0.25)) endsAt = coupon.endsAt === null ? base + hour : coupon.endsAt - 1;
  note(run, `set ${label(run, coupon.id)} endsAt=${iso(endsAt)}`);
  const patch = { activePeriod: { startsAt: iso(coupon.startsAt)!, endsAt: iso(endsAt) } };
  const actual = await run.world.engine.updateCoupon(run.world.orgId, coupon.id, patch);
  expectSameAnswer(actual, run.model.changeEnd(coupon.id, endsAt, now(run)));
  if (actual.ok) expect(actual.value.activePeriod.endsAt).toBe(iso(endsAt));
}

/** Small steps, long steps, and jumps exactly onto (or 1 ms before) the next boundary. */
function advanceClock(run: Run) {
  const { rng, world, model } = run;
  const t = now(run);
  const boundaries = [
    ...[...model.coupons.values()].flatMap((c) => [c.startsAt, c.endsAt ?? -1]),
    ...model.records.map((r) => r.expiresAt ?? -1),
  ].filter((b) => b > t);
  const roll = rng.next();
  if (roll < 0.3 && boundaries.length) world.clock.ms = Math.min(...boundaries) - (rng.chance(0.3) ? 1 : 0);
  else world.clock.advance(roll < 0.85 ? rng.int(1, 120) * minute + rng.int(0, 1) : rng.int(1, 24) * hour);
  note(run, `clock → ${iso(now(run))}`);
}

/** Stats, counters and every record of one coupon, as an admin would read them. */
async function checkCoupon(run: Run, coupon: ModelCoupon) {
  const { engine, orgId } = run.world;
  note(run, `check ${label(run, coupon.id)}`);
  expect(expectOk(await engine.stats(orgId, coupon.id)), 'stats').toEqual(run.model.stats(coupon.id, now(run)));
  const { redeemedCount, issuedCount, poolSize, status, stockLeft, lowStock, funnel } = expectOk(await engine.getCoupon(orgId, coupon.id));
  const stock = run.model.stock(coupon.id);
  expect({ redeemedCount, issuedCount, poolSize, status, stockLeft, lowStock, funnel }, 'coupon counters').toEqual({
    ...{ redeemedCount: run.model.redemptions(coupon.id), poolSize: coupon.pool.length },
    issuedCount: run.model.records.filter((r) => r.couponId === coupon.id).length,
    status: coupon.revoked ? 'revoked' : coupon.active ? 'active' : 'inactive',
    ...{ stockLeft: stock.left, lowStock: stock.low, funnel: run.model.stats(coupon.id, now(run)) },
  });
  const listed = expectOk(await engine.listRecords(orgId, coupon.id, { limit: 1000 })).items;
  const held = new Map(run.model.records.filter((r) => r.couponId === coupon.id).map((r) => [r.id, r]));
  expect(listed.map((r) => r.id).sort(), 'records of the coupon').toEqual([...held.keys()].sort());
  for (const record of listed) expectRecord(run, record, held.get(record.id)!);
}

async function refusalEvents(run: Run): Promise<Record<string, number>> {
  const e = run.world.db.tables.redemptionEvents;
  const rows = await run.world.db.select({ action: e.action, outcome: e.outcome, n: count() }).from(e).where(ne(e.outcome, 'ok')).groupBy(e.action, e.outcome);
  return Object.fromEntries(rows.map((row) => [`${row.action}:${row.outcome}`, row.n]));
}

function expectSameAnswer(actual: { ok: true } | { ok: false; reason: string }, expected: Expected<unknown>) {
  expect(actual.ok ? 'ok' : actual.reason, 'engine answer vs model').toBe(expected.ok ? 'ok' : expected.reason);
}

function expectRecord(run: Run, actual: RecordView, expected: ModelRecord) {
  expect(actual, 'record').toMatchObject(run.model.view(expected, now(run)));
}
