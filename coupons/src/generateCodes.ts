import { eq, sql } from 'drizzle-orm';
import { coupons, countInsertedPoolCodes, writeTransaction } from '@couponflow/db';
import { codeSpace, randomCodes, type Charset } from './codeAlphabet';
import type { EngineContext } from './context';
import { findCoupon } from './findCoupon';
import { ok, refuse, type Result } from './result';

export const maxPoolSize = 1_000_000;

export interface PoolChange {
  added: number;
  /** codes in the pool afterwards */
  total: number;
}

/** Fills a unique coupon's pool with `count` fresh random codes (SPEC §2.2), all or nothing. */
export function generateCodes(ctx: EngineContext, orgId: string, couponId: string, count: number): Result<PoolChange> {
  if (!Number.isInteger(count) || count < 1 || count > maxPoolSize)
    return refuse('validation_failed', `generate must be a whole number from 1 to ${maxPoolSize}`, [{ path: 'generate', message: 'out of range' }]);
  try {
    return fillPool(ctx, orgId, couponId, count);
  } catch (error) {
    if (error instanceof SpaceExhausted)
      return refuse('code_space_exhausted', 'Too few free codes are left in this code space (other pools use it too). Use longer codes.');
    throw error;
  }
}

class SpaceExhausted extends Error {}

function fillPool(ctx: EngineContext, orgId: string, couponId: string, count: number): Result<PoolChange> {
  return writeTransaction(ctx.db, (tx) => {
    const coupon = findCoupon(tx, orgId, couponId);
    if (!coupon) return refuse('coupon_not_found', 'No such coupon');
    if (coupon.codeType !== 'unique') return refuse('not_unique_coupon', 'Only unique-code coupons have a code pool');
    if (coupon.poolSize + count > maxPoolSize)
      return refuse('pool_limit_exceeded', `A pool holds at most ${maxPoolSize} codes; this one has ${coupon.poolSize}`);
    const charset = coupon.codeCharset as Charset;
    const length = coupon.codeLength!;
    const space = codeSpace(charset, length);
    // Past half the space, guessing a valid code gets too easy and collisions make generation crawl.
    if (coupon.poolSize + count > space / 2)
      return refuse(
        'code_space_exhausted',
        `${length} ${charset} characters give ${space} codes; ${coupon.poolSize + count} would fill more than half. Use longer codes.`,
      );

    let added = 0;
    for (let round = 1; added < count; round++) {
      // Throwing rolls the whole batch back: a pool is filled completely or not at all.
      if (round > 50) throw new SpaceExhausted();
      // Sorted, the inserts walk the unique index in order instead of jumping around it.
      const batch = randomCodes(count - added, charset, length, coupon.codePrefix ?? '').sort();
      added += countInsertedPoolCodes(tx, orgId, coupon.id, withoutRepeats(batch));
    }
    const row = tx
      .update(coupons)
      .set({ poolSize: sql`${coupons.poolSize} + ${added}`, updatedAt: ctx.now() })
      .where(eq(coupons.id, coupon.id))
      .returning({ poolSize: coupons.poolSize })
      .get();
    return ok({ added, total: row.poolSize });
  });
}

/** Drops adjacent repeats of a sorted list in place (the unique index would skip them anyway). */
function withoutRepeats(sorted: string[]): string[] {
  let kept = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[kept - 1]) sorted[kept++] = sorted[i]!;
  sorted.length = kept;
  return sorted;
}
