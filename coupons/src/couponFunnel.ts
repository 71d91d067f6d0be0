import { count, eq, inArray, lte, sql, type SQL } from 'drizzle-orm';
import { bind, prepared, type Database, type Tables } from '@couponflow/db';

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

// A live record past its usable time is expired whether or not the sweep has written it yet.
// `passed` compares expiresAt with now, bound as an instant (never an epoch number).
const columns = (r: Tables['redemptionRecords'], passed: SQL) => ({
  sent: count(),
  opened: count(r.openedAt),
  redeemed: count(r.redeemedAt),
  verified: count(r.verifiedAt),
  expired: sql<number>`sum(case when ${r.status} = 'expired' or (${r.status} in ('sent', 'opened', 'redeemed') and ${r.expiresAt} is not null and ${passed}) then 1 else 0 end)`,
  revoked: sql<number>`sum(case when ${r.status} = 'revoked' then 1 else 0 end)`,
});

export async function couponFunnel(db: Database, couponId: string, now: Date): Promise<Funnel> {
  const row = await prepared(db, 'couponFunnel', (d, { redemptionRecords: r }) =>
    d.select(columns(r, sql`${r.expiresAt} <= ${bind('now')}`)).from(r).where(eq(r.couponId, bind('couponId'))),
  ).get({ couponId, now });
  return row ? numbers(row) : emptyFunnel();
}

/** Every listed coupon's funnel in one grouped query (a page of coupons makes one query, not one per coupon). */
export async function couponFunnels(db: Database, couponIds: string[], now: Date): Promise<Map<string, Funnel>> {
  const funnels = new Map<string, Funnel>();
  if (couponIds.length === 0) return funnels;
  const r = db.tables.redemptionRecords;
  const rows = await db
    .select({ couponId: r.couponId, ...columns(r, lte(r.expiresAt, now)) })
    .from(r)
    .where(inArray(r.couponId, couponIds))
    .groupBy(r.couponId);
  for (const { couponId, ...row } of rows) funnels.set(couponId, numbers(row));
  return funnels;
}

const numbers = (row: Record<keyof Funnel, number | string | null>): Funnel => ({
  sent: Number(row.sent ?? 0),
  opened: Number(row.opened ?? 0),
  redeemed: Number(row.redeemed ?? 0),
  verified: Number(row.verified ?? 0),
  expired: Number(row.expired ?? 0),
  revoked: Number(row.revoked ?? 0),
});
