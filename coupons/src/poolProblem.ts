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
  const { poolCodes, pools } = db.tables;
  const [pool] = await db.select({ id: pools.id }).from(pools).where(eq(pools.couponId, coupon.id)).limit(1);
  if (!pool) return null;
  for (let after = 0; ; ) {
    const page = await db
      .select({ id: poolCodes.id, code: poolCodes.code })
      .from(poolCodes)
      .where(and(eq(poolCodes.poolId, pool.id), gt(poolCodes.id, after)))
      .orderBy(asc(poolCodes.id))
      .limit(pageCodes);
    for (const { code } of page) if (!canDisplayCode(display, code)) return `the pool code ${code} cannot be drawn as ${display}`;
    if (page.length < pageCodes) return null;
    after = page.at(-1)!.id;
  }
}
