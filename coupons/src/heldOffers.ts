import { and, eq, inArray } from 'drizzle-orm';
import { bind, prepared, type Database } from '@couponflow/db';

/**
 * How an offer a flow run waits on stands right now, for the runtime's delayed expiry checks and
 * for the runs told that an admin revoked or switched off the coupon.
 */
export type OfferState =
  | { state: 'open'; expiresAt: Date | null }
  /** redeemed or verified: the redemption's own outcome reaches the run */
  | { state: 'redeemed' }
  | { state: 'ended'; reason: 'coupon_revoked' | 'coupon_inactive' | 'coupon_expired' }
  | { state: 'missing' };

/** Where the offer stands at `at`; the reasons come in SPEC §2.4 order (revoked, inactive, expired). */
export async function offerState(db: Database, orgId: string, recordId: string, at: Date): Promise<OfferState> {
  const row = await prepared(db, 'offerState', (d, { redemptionRecords: r, coupons }) =>
    d
      .select({ status: r.status, expiresAt: r.expiresAt, couponRevokedAt: coupons.revokedAt, active: coupons.active, endsAt: coupons.endsAt })
      .from(r)
      .innerJoin(coupons, eq(coupons.id, r.couponId))
      .where(and(eq(r.id, bind('recordId')), eq(r.orgId, bind('orgId')))),
  ).get({ recordId, orgId });
  if (!row) return { state: 'missing' };
  if (row.status === 'redeemed' || row.status === 'verified') return { state: 'redeemed' };
  if (row.status === 'revoked' || row.couponRevokedAt) return { state: 'ended', reason: 'coupon_revoked' };
  if (!row.active) return { state: 'ended', reason: 'coupon_inactive' };
  const passed = (d: Date | null) => d !== null && d.getTime() <= at.getTime();
  if (row.status === 'expired' || passed(row.expiresAt) || passed(row.endsAt)) return { state: 'ended', reason: 'coupon_expired' };
  return { state: 'open', expiresAt: row.expiresAt };
}

export interface HeldOffer {
  recordId: string;
  inboxId: string;
  customerId: string;
}

/** The organisation's coupon's records still waiting for redemption (sent or opened), optionally only these customers'. */
export async function heldOffers(db: Database, orgId: string, couponId: string, customerIds?: string[]): Promise<HeldOffer[]> {
  const r = db.tables.redemptionRecords;
  const select = (customers?: string[]) =>
    db
      .select({ recordId: r.id, inboxId: r.inboxId, customerId: r.customerId })
      .from(r)
      .where(and(eq(r.orgId, orgId), eq(r.couponId, couponId), inArray(r.status, ['sent', 'opened']), customers ? inArray(r.customerId, customers) : undefined));
  if (!customerIds) return select();
  // Chunked so a long customer list stays under the database's parameter limit.
  const out: HeldOffer[] = [];
  for (let i = 0; i < customerIds.length; i += 500) out.push(...(await select(customerIds.slice(i, i + 500))));
  return out;
}
