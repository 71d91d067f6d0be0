import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import { bind, literalLimit, lockAndRefresh, prepared, writeTransaction, type Database } from '@couponflow/db';
import type { EngineContext } from './context';
import { addContactTag } from './contactTags';
import type { ContactTags } from './couponSchema';
import { ruleMessages, ruleRefusal, timingRefusal } from './couponRules';
import { noteStock } from './lowStock';
import type { CouponRow } from './couponView';
import { findRecordByToken } from './findRecord';
import { couponOfRecord } from './findCoupon';
import { markExpired } from './markExpired';
import { recordEvent } from './recordEvent';
import { effectiveStatus, recordView, type RecordRow, type RecordView } from './recordView';
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
    const found = await findRecordByToken(tx, token);
    if (!found) return refuse('not_found', 'No such coupon link');
    // The record names the coupon to lock; read again under the lock (another redeem may have won).
    const record = (await lockAndRefresh(tx, 'coupon', found.couponId, found, () => findRecordByToken(tx, token)))!;
    const coupon = await couponOfRecord(tx, record.couponId);
    const event = { orgId: record.orgId, action: 'redeem' as const, at: now, couponId: coupon.id, recordId: record.id, customerId: record.customerId };

    // Redeemed or not, a revoked record answers coupon_revoked, and the refusal is kept as an event.
    if (record.status === 'revoked') {
      await recordEvent(tx, { ...event, outcome: 'coupon_revoked' });
      return refuse('coupon_revoked', ruleMessages.coupon_revoked);
    }
    if (record.redeemedAt && record.code) return ok(redemptionOf(record, now));
    const offerExpired = effectiveStatus(record, now) === 'expired';
    const refusal = inSpecOrder(await ruleRefusal(tx, coupon, record.customerId, now), offerExpired) ?? (await timingRefusal(tx, coupon, record, now));
    if (refusal) {
      if (offerExpired) await markExpired(tx, record.id);
      await recordEvent(tx, { ...event, outcome: refusal });
      return refuse(refusal, ruleMessages[refusal]);
    }

    const code = coupon.codeType === 'unique' ? await takePoolCode(tx, coupon.id, record.id) : coupon.codeValue!;
    const redeemed = await markRedeemed(tx, record, code, now, offerExpiry(coupon, record.sentAt, now));
    await prepared(tx, 'countRedemption', (d, { coupons }) =>
      d.update(coupons).set({ redeemedCount: sql`${coupons.redeemedCount} + 1` }).where(eq(coupons.id, bind('couponId'))),
    ).run({ couponId: coupon.id });
    await noteStock(tx, { ...coupon, redeemedCount: coupon.redeemedCount + 1 }, now);
    await tagOnRedeemed(tx, coupon, record, now);
    await recordEvent(tx, { ...event, outcome: 'ok' });
    return ok(redemptionOf(redeemed, now));
  });
}

/**
 * The record's own usage expiry answers `coupon_expired` at that rule's place in SPEC §2.4's order,
 * so an inactive or revoked coupon says so first, as distribute would at the same moment.
 */
function inSpecOrder(rule: RuleReason | null, offerExpired: boolean): RuleReason | null {
  if (!offerExpired) return rule;
  return rule !== null && ruleReasons.indexOf(rule) < ruleReasons.indexOf('coupon_expired') ? rule : 'coupon_expired';
}

function redemptionOf(record: RecordRow, now: Date): Redemption {
  return { record: recordView(record, now), code: record.code!, expiresAt: record.expiresAt?.toISOString() ?? null };
}

/**
 * The oldest free code of the pool; ruleRefusal has already made sure one is left. The coupon's
 * lock makes the read and the write one step: no code goes to two records.
 */
async function takePoolCode(db: Database, couponId: string, recordId: string): Promise<string> {
  const free = await prepared(db, 'freePoolCode', (d, { couponCodes }) =>
    d
      .select({ id: couponCodes.id, code: couponCodes.code })
      .from(couponCodes)
      .where(and(eq(couponCodes.couponId, bind('couponId')), isNull(couponCodes.recordId)))
      .orderBy(asc(couponCodes.id))
      .limit(literalLimit(1)),
  ).get({ couponId });
  if (!free) throw new Error(`pool of ${couponId} is empty although its counters say otherwise`);
  const taken = await prepared(db, 'assignPoolCode', (d, { couponCodes }) =>
    d
      .update(couponCodes)
      .set({ recordId: bind('recordId') })
      .where(and(eq(couponCodes.id, bind('id')), isNull(couponCodes.recordId))),
  ).run({ recordId, id: free.id });
  if (taken !== 1) throw new Error(`pool code ${free.id} of ${couponId} was taken by another redemption`);
  return free.code;
}

async function markRedeemed(db: Database, record: RecordRow, code: string, now: Date, expiresAt: Date | null): Promise<RecordRow> {
  return (await prepared(db, 'markRedeemed', (d, { redemptionRecords: r }) =>
    d
      .update(r)
      .set({ status: 'redeemed', code: bind('code'), redeemedAt: bind('now'), openedAt: bind('openedAt'), expiresAt: bind('expiresAt') })
      .where(eq(r.id, bind('id')))
      .returning(),
  ).get({ code, now, openedAt: record.openedAt ?? now, expiresAt, id: record.id }))!;
}

async function tagOnRedeemed(db: Database, coupon: CouponRow, record: RecordRow, now: Date): Promise<void> {
  const tag = (coupon.contactTags as ContactTags).onRedeemed;
  if (tag) await addContactTag(db, { orgId: record.orgId, inboxId: record.inboxId, customerId: record.customerId }, tag, now);
}
