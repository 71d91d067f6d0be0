import { and, Column, count, eq, getTableName, is, isNotNull, max, sql, type SQL } from 'drizzle-orm';
import { bind, prepared, type Database, type Tables } from '@couponflow/db';
import type { Audience, RedemptionWindow } from './couponSchema';
import type { CouponRow } from './couponView';
import { orgTimeZone } from './orgTimeZone';
import type { DistributionReason, RuleReason, TimingReason } from './result';
import { insideWindow, nextWindowOpening } from './timeZone';

const hourMs = 60 * 60 * 1000;
const dayMs = 24 * hourMs;

/**
 * SPEC §2.4: the first rule that refuses, in the spec's order, or null. Called inside the write
 * transaction by distribute and redeem so the counts cannot move between check and write.
 */
export async function ruleRefusal(db: Database, coupon: CouponRow, customerId: string, now: Date, counts?: CustomerCounts): Promise<RuleReason | null> {
  const t = now.getTime();
  if (coupon.revokedAt) return 'coupon_revoked';
  if (!coupon.active) return 'coupon_inactive';
  if (t < coupon.startsAt.getTime()) return 'coupon_not_started';
  if (coupon.endsAt && t >= coupon.endsAt.getTime()) return 'coupon_expired';
  if (coupon.perCustomerLimit !== null && (counts?.customerRedeemed ?? (await customerRedemptions(db, coupon.id, customerId))) >= coupon.perCustomerLimit)
    return 'customer_max_uses_reached';
  if (coupon.totalLimit !== null && coupon.redeemedCount >= coupon.totalLimit) return 'coupon_max_uses_reached';
  if (coupon.codeType === 'unique' && freePoolCodes(coupon) <= 0) return 'coupon_max_uses_reached';
  return null;
}

/** Codes are never handed back (a reversed redemption retires its code), so this many are left. */
export const freePoolCodes = (coupon: Pick<CouponRow, 'poolSize' | 'redeemedCount' | 'retiredCodes'>) =>
  coupon.poolSize - coupon.redeemedCount - coupon.retiredCodes;

/**
 * Distribution: §2.4's rules with the audience in the period rules' wake (an offer the customer may
 * never have is refused before the limits are counted), or null.
 */
export async function distributionRefusal(
  db: Database,
  coupon: CouponRow,
  customer: { orgId: string; inboxId: string; customerId: string },
  now: Date,
  counts?: CustomerCounts,
): Promise<RuleReason | DistributionReason | null> {
  const rule = await ruleRefusal(db, coupon, customer.customerId, now, counts);
  if (rule && (rule === 'coupon_revoked' || rule === 'coupon_inactive' || rule === 'coupon_not_started' || rule === 'coupon_expired')) return rule;
  if (coupon.audience && !(await inAudience(db, coupon, coupon.audience as Audience, customer))) return 'customer_not_eligible';
  return rule;
}

/** Issuing limits count records made, whatever became of them; checked only when a new record is due. */
export async function issuingRefusal(db: Database, coupon: CouponRow, customerId: string, counts?: CustomerCounts): Promise<DistributionReason | null> {
  if (coupon.maxIssuedPerCustomer !== null && (counts?.customerIssued ?? (await customerIssued(db, coupon.id, customerId))) >= coupon.maxIssuedPerCustomer)
    return 'customer_max_issued_reached';
  if (coupon.maxIssuedTotal !== null && coupon.issuedCount >= coupon.maxIssuedTotal) return 'coupon_max_issued_reached';
  return null;
}

/**
 * Redemption: after §2.4's rules, the timing restrictions (issue 10). They refuse for now only: the
 * record stays held, and `redeemableFrom` says when it can be redeemed.
 */
export async function timingRefusal(
  db: Database,
  coupon: CouponRow,
  record: { orgId: string; customerId: string; sentAt: Date },
  now: Date,
): Promise<TimingReason | null> {
  const t = now.getTime();
  if (coupon.redeemableAfterDays !== null && t < record.sentAt.getTime() + coupon.redeemableAfterDays * dayMs) return 'not_yet_redeemable';
  if (coupon.minHoursBetweenRedemptions !== null) {
    const last = await lastRedemption(db, coupon.id, record.customerId);
    if (last !== null && t < last + coupon.minHoursBetweenRedemptions * hourMs) return 'redemption_too_soon';
  }
  if (coupon.redemptionWindow && !insideWindow(coupon.redemptionWindow as RedemptionWindow, await orgTimeZone(db, record.orgId), t)) return 'outside_redemption_window';
  return null;
}

/** The first moment from `now` at which none of the timing restrictions refuses. */
export async function redeemableFrom(db: Database, coupon: CouponRow, record: { orgId: string; customerId: string; sentAt: Date }, now: Date): Promise<Date> {
  let at = now.getTime();
  if (coupon.redeemableAfterDays !== null) at = Math.max(at, record.sentAt.getTime() + coupon.redeemableAfterDays * dayMs);
  if (coupon.minHoursBetweenRedemptions !== null) {
    const last = await lastRedemption(db, coupon.id, record.customerId);
    if (last !== null) at = Math.max(at, last + coupon.minHoursBetweenRedemptions * hourMs);
  }
  if (coupon.redemptionWindow) at = nextWindowOpening(coupon.redemptionWindow as RedemptionWindow, await orgTimeZone(db, record.orgId), at);
  return new Date(at);
}

async function inAudience(db: Database, coupon: CouponRow, audience: Audience, customer: { orgId: string; inboxId: string; customerId: string }): Promise<boolean> {
  if (audience.type === 'list')
    return (
      (await prepared(db, 'audienceMember', (d, { couponAudience }) =>
        d
          .select({ c: couponAudience.customerId })
          .from(couponAudience)
          .where(and(eq(couponAudience.couponId, bind('couponId')), eq(couponAudience.customerId, bind('customerId')))),
      ).get({ couponId: coupon.id, customerId: customer.customerId })) !== undefined
    );
  // Tags belong to the contact in the inbox the offer goes to (SPEC §3: a contact is per inbox).
  return (
    (await prepared(db, 'audienceTag', (d, { contacts, contactTags }) =>
      d
        .select({ tag: contactTags.tag })
        .from(contacts)
        .innerJoin(contactTags, and(eq(contactTags.contactId, contacts.id), eq(contactTags.tag, bind('tag'))))
        .where(and(eq(contacts.orgId, bind('orgId')), eq(contacts.inboxId, bind('inboxId')), eq(contacts.customerId, bind('customerId')))),
    ).get({ tag: audience.tag, orgId: customer.orgId, inboxId: customer.inboxId, customerId: customer.customerId })) !== undefined
  );
}

/**
 * The customer's counts the per-customer limits need, read in the same statement as the coupon
 * (one statement instead of one per rule); null where not counted (the rule then counts itself).
 */
export interface CustomerCounts {
  customerRedeemed: number | null;
  customerIssued?: number | null;
}

/**
 * The column that counts the customer's redemptions for a select reading the coupon as
 * `t.coupons` (null when the coupon has no per-customer limit: not counted); `customerId` is a
 * bound value or a column of the outer query. The inner table is aliased (`mine`) so that a query
 * reading a record as well still means its own row by `redemption_records`.
 */
export function customerRedeemedColumn(t: Tables, customerId: SQL | Column) {
  const c = t.coupons;
  const customer = is(customerId, Column) ? qualified(customerId) : customerId;
  return sql<number | null>`case when ${qualified(c.perCustomerLimit)} is null then null else (select count(*) from ${t.redemptionRecords} mine where mine.coupon_id = ${qualified(c.id)} and mine.customer_id = ${customer} and mine.redeemed_at is not null) end`;
}

/** A column written with its table's name: drizzle leaves it bare in a one-table select, where a subquery would take it for its own. */
export const qualified = (column: Column) => sql`${sql.identifier(getTableName(column.table))}.${sql.identifier(column.name)}`;

/** A redemption for the limits is any record that reached `redeemed`, whatever came after (a reversal undoes it). */
export async function customerRedemptions(db: Database, couponId: string, customerId: string): Promise<number> {
  const row = await prepared(db, 'customerRedemptions', (d, { redemptionRecords }) =>
    d
      .select({ n: count() })
      .from(redemptionRecords)
      .where(and(eq(redemptionRecords.couponId, bind('couponId')), eq(redemptionRecords.customerId, bind('customerId')), isNotNull(redemptionRecords.redeemedAt))),
  ).get({ couponId, customerId });
  return row?.n ?? 0;
}

async function customerIssued(db: Database, couponId: string, customerId: string): Promise<number> {
  const row = await prepared(db, 'customerIssued', (d, { redemptionRecords }) =>
    d
      .select({ n: count() })
      .from(redemptionRecords)
      .where(and(eq(redemptionRecords.couponId, bind('couponId')), eq(redemptionRecords.customerId, bind('customerId')))),
  ).get({ couponId, customerId });
  return row?.n ?? 0;
}

async function lastRedemption(db: Database, couponId: string, customerId: string): Promise<number | null> {
  const row = await prepared(db, 'lastRedemption', (d, { redemptionRecords }) =>
    d
      .select({ at: max(redemptionRecords.redeemedAt) })
      .from(redemptionRecords)
      .where(and(eq(redemptionRecords.couponId, bind('couponId')), eq(redemptionRecords.customerId, bind('customerId')))),
  ).get({ couponId, customerId });
  const at = row?.at as Date | number | string | null | undefined;
  if (at == null) return null;
  return at instanceof Date ? at.getTime() : typeof at === 'number' ? at : Date.parse(at);
}

export const ruleMessages: Record<RuleReason | DistributionReason | TimingReason, string> = {
  coupon_revoked: 'The coupon was revoked',
  coupon_inactive: 'The coupon is not active',
  coupon_not_started: 'The coupon period has not started yet',
  coupon_expired: 'The coupon period has ended',
  customer_max_uses_reached: 'The customer has reached their redemption limit',
  coupon_max_uses_reached: 'The coupon has no redemptions left',
  customer_not_eligible: 'The coupon is not offered to this customer',
  customer_max_issued_reached: 'The customer has been issued this coupon as often as allowed',
  coupon_max_issued_reached: 'The coupon has been issued as often as allowed',
  not_yet_redeemable: 'The coupon cannot be redeemed yet: it opens a set number of days after it was sent',
  redemption_too_soon: 'Too soon after this customer’s last redemption',
  outside_redemption_window: 'The coupon can only be redeemed at certain days and hours',
};
