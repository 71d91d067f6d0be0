import { count, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { bind, prepared, redemptionRecords, type Database } from '@couponflow/db';

/**
 * How many records reached each step (`sent ≥ opened ≥ redeemed ≥ verified`), plus how many are
 * expired or revoked right now. Steps are read from the step timestamps, so a verified record
 * still counts as redeemed; a reversed redemption no longer counts as redeemed (nor verified).
 */
export interface Funnel {
  sent: number;
  opened: number;
  redeemed: number;
  verified: number;
  expired: number;
  revoked: number;
}

export const emptyFunnel = (): Funnel => ({ sent: 0, opened: 0, redeemed: 0, verified: 0, expired: 0, revoked: 0 });

const r = redemptionRecords;
// A live record past its usable time is expired whether or not the sweep has written it yet.
const columns = (now: SQL) => ({
  sent: count(),
  opened: count(r.openedAt),
  redeemed: count(r.redeemedAt),
  verified: count(r.verifiedAt),
  expired: sql<number>`sum(case when ${r.status} = 'expired' or (${r.status} in ('sent', 'opened', 'redeemed') and ${r.expiresAt} is not null and ${r.expiresAt} <= ${now}) then 1 else 0 end)`,
  revoked: sql<number>`sum(case when ${r.status} = 'revoked' then 1 else 0 end)`,
});

export function couponFunnel(db: Database, couponId: string, now: Date): Funnel {
  const row = prepared(db, 'couponFunnel', (d) => d.select(columns(bind('now'))).from(r).where(eq(r.couponId, bind('couponId'))).prepare()).get({ couponId, now: now.getTime() });
  return row ? numbers(row) : emptyFunnel();
}

/** Every listed coupon's funnel in one grouped query (a page of coupons makes one query, not one per coupon). */
export function couponFunnels(db: Database, couponIds: string[], now: Date): Map<string, Funnel> {
  const funnels = new Map<string, Funnel>();
  if (couponIds.length === 0) return funnels;
  const rows = db
    .select({ couponId: r.couponId, ...columns(sql`${now.getTime()}`) })
    .from(r)
    .where(inArray(r.couponId, couponIds))
    .groupBy(r.couponId)
    .all();
  for (const { couponId, ...row } of rows) funnels.set(couponId, numbers(row));
  return funnels;
}

const numbers = (row: Record<keyof Funnel, number | null>): Funnel => ({
  sent: row.sent ?? 0,
  opened: row.opened ?? 0,
  redeemed: row.redeemed ?? 0,
  verified: row.verified ?? 0,
  expired: Number(row.expired ?? 0),
  revoked: Number(row.revoked ?? 0),
});
