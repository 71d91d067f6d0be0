import { and, asc, eq, gt } from 'drizzle-orm';
import type { Database } from '@couponflow/db';
import type { CouponRow } from './couponView';
import { canDisplayCode, type CodeDisplay } from './symbology';

const pageCodes = 10_000;

/**
 * Switching a unique coupon's display must still draw every code already in its pool. Read a page
 * at a time by id (a pool may hold a million codes; no driver here streams rows).
 */
export async function poolProblemFor(db: Database, coupon: CouponRow, display: CodeDisplay): Promise<string | null> {
  if (coupon.codeType !== 'unique' || coupon.poolSize === 0 || display === 'text' || display === 'qrcode') return null;
  const { couponCodes } = db.tables;
  for (let after = 0; ; ) {
    const page = await db
      .select({ id: couponCodes.id, code: couponCodes.code })
      .from(couponCodes)
      .where(and(eq(couponCodes.couponId, coupon.id), gt(couponCodes.id, after)))
      .orderBy(asc(couponCodes.id))
      .limit(pageCodes);
    for (const { code } of page) if (!canDisplayCode(display, code)) return `the pool code ${code} cannot be drawn as ${display}`;
    if (page.length < pageCodes) return null;
    after = page.at(-1)!.id;
  }
}
