import { and, eq, inArray } from 'drizzle-orm';
import type { Database } from '@couponflow/db';

/** Which of these coupon ids are the organisation's. */
export async function existingCouponIds(db: Database, orgId: string, couponIds: string[]): Promise<Set<string>> {
  if (couponIds.length === 0) return new Set();
  const { coupons } = db.tables;
  const rows = await db.select({ id: coupons.id }).from(coupons).where(and(inArray(coupons.id, couponIds), eq(coupons.orgId, orgId)));
  return new Set(rows.map((r) => r.id));
}
