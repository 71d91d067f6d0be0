import { eq } from 'drizzle-orm';
import type { Database } from '@couponflow/db';
import type { CouponRow } from './couponView';
import { canDisplayCode, type CodeDisplay } from './symbology';

/** Switching a unique coupon's display must still draw every code already in its pool. */
export async function poolProblemFor(db: Database, coupon: CouponRow, display: CodeDisplay): Promise<string | null> {
  if (coupon.codeType !== 'unique' || coupon.poolSize === 0 || display === 'text' || display === 'qrcode') return null;
  const { couponCodes } = db.tables;
  for (const { code } of await db.select({ code: couponCodes.code }).from(couponCodes).where(eq(couponCodes.couponId, coupon.id))) {
    if (!canDisplayCode(display, code)) return `the pool code ${code} cannot be drawn as ${display}`;
  }
  return null;
}
