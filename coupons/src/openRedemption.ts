import { eq } from 'drizzle-orm';
import { coupons, redemptionRecords, writeTransaction, type Database } from '@couponflow/db';
import type { EngineContext } from './context';
import { addContactTag } from './contactTags';
import type { ContactTags } from './couponSchema';
import { ruleRefusal } from './couponRules';
import { couponView, type CouponRow, type CouponView } from './couponView';
import { findRecordByToken } from './findRecord';
import { recordEvent } from './recordEvent';
import { effectiveStatus, recordView, type RecordRow, type RecordView } from './recordView';
import { ok, refuse, type Result } from './result';

export type PageState = 'not_started' | 'expired' | 'revoked' | 'unavailable' | 'limit_reached' | 'ready' | 'redeemed' | 'verified';

export interface RedeemPageData {
  record: RecordView;
  coupon: CouponView;
  state: PageState;
}

/** The customer's first real view of the redeem page marks the record `opened` (and tags them). */
export function openRedemption(ctx: EngineContext, token: string): Result<RedeemPageData> {
  return writeTransaction(ctx.db, (tx) => {
    const now = ctx.now();
    let record = findRecordByToken(tx, token);
    if (!record) return refuse('not_found', 'No such coupon link');
    const coupon = tx.select().from(coupons).where(eq(coupons.id, record.couponId)).get()!;
    if (record.status === 'sent' && effectiveStatus(record, now) === 'sent') {
      record = tx
        .update(redemptionRecords)
        .set({ status: 'opened', openedAt: now })
        .where(eq(redemptionRecords.id, record.id))
        .returning()
        .get();
      const tag = (coupon.contactTags as ContactTags).onOpened;
      if (tag) addContactTag(tx, { orgId: record.orgId, inboxId: record.inboxId, customerId: record.customerId }, tag, now);
      recordEvent(tx, { orgId: record.orgId, action: 'open', outcome: 'ok', at: now, couponId: coupon.id, recordId: record.id, customerId: record.customerId });
    }
    return ok(pageData(tx, record, coupon, now));
  });
}

/** The page for a token without marking it opened (HEAD requests, link-preview crawlers). */
export function peekRedemption(ctx: EngineContext, token: string): Result<RedeemPageData> {
  const record = findRecordByToken(ctx.db, token);
  if (!record) return refuse('not_found', 'No such coupon link');
  const coupon = ctx.db.select().from(coupons).where(eq(coupons.id, record.couponId)).get()!;
  return ok(pageData(ctx.db, record, coupon, ctx.now()));
}

function pageData(db: Database, record: RecordRow, coupon: CouponRow, now: Date): RedeemPageData {
  return { record: recordView(record, now), coupon: couponView(coupon), state: pageState(db, record, coupon, now) };
}

/** Which of the page's states applies to this record right now (SPEC §2.5). */
export function pageState(db: Database, record: RecordRow, coupon: CouponRow, now: Date): PageState {
  const status = effectiveStatus(record, now);
  if (status === 'verified') return 'verified';
  if (status === 'revoked' || coupon.revokedAt) return 'revoked';
  if (status === 'expired') return 'expired';
  if (status === 'redeemed') return 'redeemed';
  switch (ruleRefusal(db, coupon, record.customerId, now)) {
    case null:
      return 'ready';
    case 'coupon_not_started':
      return 'not_started';
    case 'coupon_expired':
      return 'expired';
    case 'coupon_inactive':
      return 'unavailable';
    case 'coupon_revoked':
      return 'revoked';
    case 'customer_max_uses_reached':
    case 'coupon_max_uses_reached':
      return 'limit_reached';
  }
}
