import { countInsertedPoolCodes, writeTransaction } from '@couponflow/db';
import { codeSpace, type Charset } from './codeAlphabet';
import type { EngineContext } from './context';
import { findCoupon } from './findCoupon';
import { chunkCodes, commonCodesOf, completeBatch, discardBatch, startBatch, yieldToOthers } from './poolBatch';
import { maxPoolSize } from './poolLimits';
import { ok, refuse, type Result } from './result';
import { sortedRandomCodeGroups } from './sortedRandomCodes';

export { maxPoolSize };

export interface PoolChange {
  added: number;
  /** codes in the pool afterwards */
  total: number;
}

export interface PoolWriteOptions {
  /** called after each chunk is written (tests look at the pool mid-way) */
  afterChunk?: (written: number) => void | Promise<void>;
}

/**
 * Fills a unique coupon's pool with `count` fresh random codes (SPEC §2.2), all or nothing, written
 * in short chunks (see poolBatch). Codes equal to one of the organisation's common codes are skipped.
 */
export async function generateCodes(ctx: EngineContext, orgId: string, couponId: string, count: number, options: PoolWriteOptions = {}): Promise<Result<PoolChange>> {
  if (!Number.isInteger(count) || count < 1 || count > maxPoolSize)
    return refuse('validation_failed', `generate must be a whole number from 1 to ${maxPoolSize}`, [{ path: 'generate', message: 'out of range' }]);
  const coupon = await findCoupon(ctx.db, orgId, couponId);
  if (!coupon) return refuse('coupon_not_found', 'No such coupon');
  if (coupon.codeType !== 'unique') return refuse('not_unique_coupon', 'Only unique-code coupons have a code pool');
  if (coupon.poolSize + count > maxPoolSize) return refuse('pool_limit_exceeded', `A pool holds at most ${maxPoolSize} codes; this one has ${coupon.poolSize}`);
  const charset = coupon.codeCharset as Charset;
  const length = coupon.codeLength!;
  const space = codeSpace(charset, length);
  // Past half the space, guessing a valid code gets too easy and collisions make generation crawl.
  if (coupon.poolSize + count > space / 2)
    return refuse(
      'code_space_exhausted',
      `${length} ${charset} characters give ${space} codes; ${coupon.poolSize + count} would fill more than half. Use longer codes.`,
    );

  const batch = await startBatch(ctx.db, orgId, couponId, ctx.now());
  if (!batch.ok) return batch;
  const commonCodes = await commonCodesOf(ctx.db, orgId);
  let added = 0;
  try {
    for (let round = 1; added < count; round++) {
      // Collisions with other pools make a few draws miss; round after round of misses means the space is used up.
      if (round > 50) {
        await discardBatch(ctx.db, batch.value);
        return refuse('code_space_exhausted', 'Too few free codes are left in this code space (other pools use it too). Use longer codes.');
      }
      // Each round's codes come in ascending order and are written in that order chunk by chunk:
      // each chunk touches one stretch of the unique index, so the index is rewritten about once,
      // not once per chunk. They are drawn a group at a time, never all at once (memory).
      let chunk: string[] = [];
      const write = async () => {
        const codes = chunk;
        chunk = [];
        added += await writeTransaction(ctx.db, (tx) => countInsertedPoolCodes(tx, batch.value, codes));
        await options.afterChunk?.(added);
        await yieldToOthers();
      };
      for (const group of sortedRandomCodeGroups(count - added, charset, length, coupon.codePrefix ?? '')) {
        for (let i = 0; i < group.size; i++) {
          const code = group.code(i);
          if (commonCodes.has(code)) continue;
          chunk.push(code);
          if (chunk.length === chunkCodes) await write();
        }
      }
      if (chunk.length > 0) await write();
    }
  } catch (error) {
    await discardBatch(ctx.db, batch.value);
    throw error;
  }
  const done = await completeBatch(ctx.db, orgId, couponId, batch.value, added, ctx.now());
  return done.ok ? ok({ added, total: done.value.total }) : done;
}
