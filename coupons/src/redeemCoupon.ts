import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import { bind, couponCodes, coupons, prepared, redemptionRecords, writeTransaction, type Database } from '@couponflow/db';
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
 * in one write transaction, so limits hold however many processes redeem at once.
 */
export function redeemCoupon(ctx: EngineContext, token: string): Result<Redemption> {
  return writeTransaction(ctx.db, (tx) => {
    const now = ctx.now();
    const record = findRecordByToken(tx, token);
    if (!record) return refuse('not_found', 'No such coupon link');
    const coupon = couponOfRecord(tx, record.couponId);
    const event = { orgId: record.orgId, action: 'redeem' as const, at: now, couponId: coupon.id, recordId: record.id, customerId: record.customerId };

    // Redeemed or not, a revoked record answers coupon_revoked, and the refusal is kept as an event.
    if (record.status === 'revoked') {
      recordEvent(tx, { ...event, outcome: 'coupon_revoked' });
      return refuse('coupon_revoked', ruleMessages.coupon_revoked);
    }
    if (record.redeemedAt && record.code) return ok(redemptionOf(record, now));
    const offerExpired = effectiveStatus(record, now) === 'expired';
    const refusal = inSpecOrder(ruleRefusal(tx, coupon, record.customerId, now), offerExpired) ?? timingRefusal(tx, coupon, record, now);
    if (refusal) {
      if (offerExpired) markExpired(tx, record.id);
      recordEvent(tx, { ...event, outcome: refusal });
      return refuse(refusal, ruleMessages[refusal]);
    }

    const code = coupon.codeType === 'unique' ? takePoolCode(tx, coupon.id, record.id) : coupon.codeValue!;
    const redeemed = markRedeemed(tx, record, code, now, offerExpiry(coupon, record.sentAt, now));
    prepared(tx, 'countRedemption', (d) =>
      d.update(coupons).set({ redeemedCount: sql`${coupons.redeemedCount} + 1` }).where(eq(coupons.id, bind('couponId'))).prepare(),
    ).run({ couponId: coupon.id });
    noteStock(tx, { ...coupon, redeemedCount: coupon.redeemedCount + 1 }, now);
    tagOnRedeemed(tx, coupon, record, now);
    recordEvent(tx, { ...event, outcome: 'ok' });
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

/** The oldest free code of the pool; ruleRefusal has already made sure one is left. */
function takePoolCode(db: Database, couponId: string, recordId: string): string {
  const free = prepared(db, 'freePoolCode', (d) =>
    d
      .select({ id: couponCodes.id, code: couponCodes.code })
      .from(couponCodes)
      .where(and(eq(couponCodes.couponId, bind('couponId')), isNull(couponCodes.recordId)))
      .orderBy(asc(couponCodes.id))
      .limit(1)
      .prepare(),
  ).get({ couponId });
  if (!free) throw new Error(`pool of ${couponId} is empty although its counters say otherwise`);
  prepared(db, 'assignPoolCode', (d) => d.update(couponCodes).set({ recordId: bind('recordId') }).where(eq(couponCodes.id, bind('id'))).prepare()).run({
    recordId,
    id: free.id,
  });
  return free.code;
}

function markRedeemed(db: Database, record: RecordRow, code: string, now: Date, expiresAt: Date | null): RecordRow {
  return prepared(db, 'markRedeemed', (d) =>
    d
      .update(redemptionRecords)
      .set({ status: 'redeemed', code: bind('code'), redeemedAt: bind('now'), openedAt: bind('openedAt'), expiresAt: bind('expiresAt') })
      .where(eq(redemptionRecords.id, bind('id')))
      .returning()
      .prepare(),
  ).get({ code, now: now.getTime(), openedAt: (record.openedAt ?? now).getTime(), expiresAt: expiresAt?.getTime() ?? null, id: record.id })!;
}



function tagOnRedeemed(db: Database, coupon: CouponRow, record: RecordRow, now: Date): void {
  const tag = (coupon.contactTags as ContactTags).onRedeemed;
  if (tag) addContactTag(db, { orgId: record.orgId, inboxId: record.inboxId, customerId: record.customerId }, tag, now);
}
