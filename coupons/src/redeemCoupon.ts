import { and, asc, eq, gt, sql } from 'drizzle-orm';
import { bind, incrementAtCommit, lockAndRefresh, prepared, writeTransaction, type Database } from '@couponflow/db';
import type { EngineContext } from './context';
import { addContactTag } from './contactTags';
import type { ContactTags } from './couponSchema';
import { ruleMessages, ruleRefusal, timingRefusal } from './couponRules';
import { noteStock } from './lowStock';
import type { CouponRow } from './couponView';
import { redemptionContext } from './redemptionContext';
import { markExpired } from './markExpired';
import { recordEvent } from './recordEvent';
import { effectiveStatus, recordView, type RecordRow, type RecordView } from './recordView';
import { rerunnable } from './rerunnable';
import { ok, refuse, ruleReasons, type Result, type RuleReason } from './result';
import { offerExpiry } from './usageExpiry';

export interface Redemption {
  record: RecordView;
  code: string;
  expiresAt: string | null;
}

/**
 * The customer presses Redeem: every rule is checked again at this moment and the code is assigned,
 * in one write transaction holding the coupon's lock, so limits hold however many processes and
 * hosts redeem at once.
 */
export function redeemCoupon(ctx: EngineContext, token: string): Promise<Result<Redemption>> {
  return writeTransaction(ctx.db, async (tx) => {
    const now = ctx.now();
    const found = await redemptionContext(tx, token);
    if (!found) return refuse('not_found', 'No such coupon link');
    // The record names the coupon to lock; read again under the lock (another redeem may have won).
    const { record, coupon, counts } = (await lockAndRefresh(tx, 'coupon', found.record.couponId, found, () => redemptionContext(tx, token)))!;

    // Redeemed or not, a revoked record answers coupon_revoked, and the refusal is kept as an event.
    if (record.status === 'revoked') {
      await recordEvent(tx, redeemEvent(record, coupon.id, now, 'coupon_revoked'));
      return refuse('coupon_revoked', ruleMessages.coupon_revoked);
    }
    if (record.redeemedAt && record.code) return ok(redemptionOf(record, now));
    const offerExpired = effectiveStatus(record, now) === 'expired';
    const refusal = inSpecOrder(await ruleRefusal(tx, coupon, record.customerId, now, counts), offerExpired) ?? (await timingRefusal(tx, coupon, record, now));
    if (refusal) {
      if (offerExpired) await markExpired(tx, record.id);
      await recordEvent(tx, redeemEvent(record, coupon.id, now, refusal));
      return refuse(refusal, ruleMessages[refusal]);
    }

    const code = coupon.codeType === 'unique' ? await takePoolCode(tx, coupon, record.id) : coupon.codeValue!;
    const redeemed = await markRedeemed(tx, record, code, now, offerExpiry(coupon, record.sentAt, now));
    // SQLite adds a batch's redemptions to the counter once, at its commit.
    if (!incrementAtCommit(tx, 'coupons', coupon.id, 'redeemedCount'))
      await prepared(tx, 'countRedemption', (d, { coupons }) =>
        d.update(coupons).set({ redeemedCount: sql`${coupons.redeemedCount} + 1` }).where(eq(coupons.id, bind('couponId'))),
      ).run({ couponId: coupon.id });
    await noteStock(tx, stockAfterRedemption(coupon), now);
    await tagOnRedeemed(tx, coupon, record, now);
    await recordEvent(tx, redeemEvent(record, coupon.id, now, 'ok'));
    return ok(redemptionOf(redeemed, now));
  }, rerunnable);
}

/**
 * The record's own usage expiry answers `coupon_expired` at that rule's place in SPEC §2.4's order,
 * so an inactive or revoked coupon says so first, as distribute would at the same moment.
 */
function inSpecOrder(rule: RuleReason | null, offerExpired: boolean): RuleReason | null {
  if (!offerExpired) return rule;
  return rule !== null && ruleReasons.indexOf(rule) < ruleReasons.indexOf('coupon_expired') ? rule : 'coupon_expired';
}

/** The audit event of a redemption: made whole in one literal (spreading a shared one cost a copy per event). */
function redeemEvent(record: RecordRow, couponId: string, at: Date, outcome: string) {
  return { orgId: record.orgId, action: 'redeem' as const, at, couponId, recordId: record.id, customerId: record.customerId, outcome };
}

/** What noteStock reads of the coupon, with this redemption counted (not a copy of the whole row). */
function stockAfterRedemption(coupon: CouponRow): Parameters<typeof noteStock>[1] {
  const { id, orgId, lowStockAt, codeType, poolSize, retiredCodes, totalLimit, lowStockThreshold } = coupon;
  return { id, orgId, lowStockAt, codeType, poolSize, redeemedCount: coupon.redeemedCount + 1, retiredCodes, totalLimit, lowStockThreshold };
}

function redemptionOf(record: RecordRow, now: Date): Redemption {
  const view = recordView(record, now);
  return { record: view, code: record.code!, expiresAt: view.expiresAt };
}

/**
 * Gives the record the pool's next free code: the first past the last one taken (codes go out in
 * id order), linked to the record in taken_codes. ruleRefusal has already made sure one is left;
 * the coupon's lock makes the pick, the link and the move of the coupon's mark one step, so no
 * code goes to two records. Nothing is rewritten: the pool code row and its index stay as written.
 */
async function takePoolCode(db: Database, coupon: CouponRow, recordId: string): Promise<string> {
  const next = await prepared(db, 'nextPoolCode', (d, { poolCodes, pools }) =>
    d
      .select({ id: poolCodes.id, code: poolCodes.code })
      .from(poolCodes)
      .where(and(eq(poolCodes.poolId, sql`(select ${pools.id} from ${pools} where ${pools.couponId} = ${bind('couponId')})`), gt(poolCodes.id, bind('after'))))
      .orderBy(asc(poolCodes.id))
      .limit(1),
  ).get({ couponId: coupon.id, after: coupon.lastTakenCodeId });
  if (!next) throw new Error(`pool of ${coupon.id} is empty although its counters say otherwise`);
  await prepared(db, 'linkTakenCode', (d, { takenCodes }) => d.insert(takenCodes).values({ codeId: bind('codeId'), recordId: bind('recordId') })).run({ codeId: next.id, recordId });
  // SQLite moves the mark once per batch, at its commit, as it does the counters.
  if (!incrementAtCommit(db, 'coupons', coupon.id, 'lastTakenCodeId', next.id - coupon.lastTakenCodeId))
    await prepared(db, 'markTakenCode', (d, { coupons }) => d.update(coupons).set({ lastTakenCodeId: bind('codeId') }).where(eq(coupons.id, bind('couponId')))).run({
      codeId: next.id,
      couponId: coupon.id,
    });
  return next.code;
}

/**
 * Writes the redemption and answers the record as it now stands (no RETURNING: every value is known
 * here), written out field by field: a spread of the record copied it generically.
 */
async function markRedeemed(db: Database, record: RecordRow, code: string, now: Date, expiresAt: Date | null): Promise<RecordRow> {
  const openedAt = record.openedAt ?? now;
  await prepared(db, 'markRedeemed', (d, { redemptionRecords: r }) =>
    d
      .update(r)
      .set({ status: 'redeemed', code: bind('code'), redeemedAt: bind('now'), openedAt: bind('openedAt'), expiresAt: bind('expiresAt') })
      .where(eq(r.id, bind('id'))),
  ).run({ code, now, openedAt, expiresAt, id: record.id });
  return {
    id: record.id,
    orgId: record.orgId,
    couponId: record.couponId,
    customerId: record.customerId,
    inboxId: record.inboxId,
    channel: record.channel,
    status: 'redeemed',
    code,
    token: record.token,
    idempotencyKey: record.idempotencyKey,
    sentAt: record.sentAt,
    openedAt,
    redeemedAt: now,
    verifiedAt: record.verifiedAt,
    expiresAt,
    revokedAt: record.revokedAt,
    reversedAt: record.reversedAt,
    flowRunId: record.flowRunId,
    nodeId: record.nodeId,
  };
}

async function tagOnRedeemed(db: Database, coupon: CouponRow, record: RecordRow, now: Date): Promise<void> {
  const tag = (coupon.contactTags as ContactTags).onRedeemed;
  if (tag) await addContactTag(db, { orgId: record.orgId, inboxId: record.inboxId, customerId: record.customerId }, tag, now);
}
