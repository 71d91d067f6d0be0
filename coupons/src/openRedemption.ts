import { and, eq } from 'drizzle-orm';
import { bind, prepared, writeTransaction, type Database } from '@couponflow/db';
import type { EngineContext } from './context';
import { addContactTag } from './contactTags';
import type { ContactTags } from './couponSchema';
import { redeemableFrom, ruleRefusal, timingRefusal } from './couponRules';
import { couponView, type CouponRow, type CouponView } from './couponView';
import { couponOfRecord } from './findCoupon';
import { findRecordByToken } from './findRecord';
import { recordEvent } from './recordEvent';
import { effectiveStatus, recordView, type RecordRow, type RecordView } from './recordView';
import { ok, refuse, type Result } from './result';

export type PageState =
  | 'not_started'
  | 'expired'
  | 'revoked'
  | 'unavailable'
  | 'limit_reached'
  /** held, but a timing restriction (delay, gap, window) holds it back until `redeemableFrom` */
  | 'not_yet_redeemable'
  | 'ready'
  | 'redeemed'
  | 'verified';

export interface RedeemPageData {
  record: RecordView;
  coupon: CouponView;
  state: PageState;
  /** for `not_yet_redeemable`: the first moment it can be redeemed (ISO), else null */
  redeemableFrom: string | null;
}

/**
 * The customer's first real view of the redeem page marks the record `opened` (and tags them).
 * Read first: only that first view writes, so page views do not queue for the write lock.
 */
export async function openRedemption(ctx: EngineContext, token: string): Promise<Result<RedeemPageData>> {
  const seen = await findRecordByToken(ctx.db, token);
  if (!seen) return refuse('not_found', 'No such coupon link');
  if (!(seen.status === 'sent' && effectiveStatus(seen, ctx.now()) === 'sent'))
    return ok(await pageData(ctx.db, seen, await couponOfRecord(ctx.db, seen.couponId), ctx.now()));
  return writeTransaction(ctx.db, async (tx) => {
    const now = ctx.now();
    let record = (await findRecordByToken(tx, token))!;
    const coupon = await couponOfRecord(tx, record.couponId);
    if (record.status === 'sent' && effectiveStatus(record, now) === 'sent') {
      // Only a record still `sent` turns `opened`: of two views at once (or a view and a redeem),
      // one writes and the other reads what it wrote.
      const opened = await prepared(tx, 'markOpened', (d, { redemptionRecords: r }) =>
        d
          .update(r)
          .set({ status: 'opened', openedAt: bind('now') })
          .where(and(eq(r.id, bind('id')), eq(r.status, 'sent')))
          .returning(),
      ).get({ now, id: record.id });
      if (opened) {
        record = opened;
        const tag = (coupon.contactTags as ContactTags).onOpened;
        if (tag) await addContactTag(tx, { orgId: record.orgId, inboxId: record.inboxId, customerId: record.customerId }, tag, now);
        await recordEvent(tx, { orgId: record.orgId, action: 'open', outcome: 'ok', at: now, couponId: coupon.id, recordId: record.id, customerId: record.customerId });
      } else record = (await findRecordByToken(tx, token))!;
    }
    return ok(await pageData(tx, record, coupon, now));
  });
}

/** The page for a token without marking it opened (HEAD requests, link-preview crawlers). */
export async function peekRedemption(ctx: EngineContext, token: string): Promise<Result<RedeemPageData>> {
  const record = await findRecordByToken(ctx.db, token);
  if (!record) return refuse('not_found', 'No such coupon link');
  return ok(await pageData(ctx.db, record, await couponOfRecord(ctx.db, record.couponId), ctx.now()));
}

async function pageData(db: Database, record: RecordRow, coupon: CouponRow, now: Date): Promise<RedeemPageData> {
  const state = await pageState(db, record, coupon, now);
  const redeemableAt = state === 'not_yet_redeemable' ? (await redeemableFrom(db, coupon, record, now)).toISOString() : null;
  return { record: recordView(record, now), coupon: couponView(coupon), state, redeemableFrom: redeemableAt };
}

/** Which of the page's states applies to this record right now (SPEC §2.5). */
export async function pageState(db: Database, record: RecordRow, coupon: CouponRow, now: Date): Promise<PageState> {
  const status = effectiveStatus(record, now);
  if (status === 'verified') return 'verified';
  if (status === 'revoked' || coupon.revokedAt) return 'revoked';
  if (status === 'expired') return 'expired';
  if (status === 'redeemed') return 'redeemed';
  switch (await ruleRefusal(db, coupon, record.customerId, now)) {
    case null:
      return (await timingRefusal(db, coupon, record, now)) ? 'not_yet_redeemable' : 'ready';
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
