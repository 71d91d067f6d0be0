import { eq } from 'drizzle-orm';
import { couponCodes, type Database } from '@couponflow/db';
import type { CouponRow } from './couponView';
import { canDisplayCode, type CodeDisplay } from './symbology';

/** Switching a unique coupon's display must still draw every code already in its pool. */
export function poolProblemFor(db: Database, coupon: CouponRow, display: CodeDisplay): string | null {
  if (coupon.codeType !== 'unique' || coupon.poolSize === 0 || display === 'text' || display === 'qrcode') return null;
  for (const { code } of db.select({ code: couponCodes.code }).from(couponCodes).where(eq(couponCodes.couponId, coupon.id)).all()) {
    if (!canDisplayCode(display, code)) return `the pool code ${code} cannot be drawn as ${display}`;
  }
  return null;
}
