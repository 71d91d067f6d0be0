import { and, eq, isNotNull, lt, sql } from 'drizzle-orm';
import { codeBatches, couponCodes, coupons, newId, writeTransaction, type Database } from '@couponflow/db';
import { maxPoolSize } from './poolLimits';
import { noteStock } from './lowStock';
import { findCoupon } from './findCoupon';
import { ok, refuse, type Result } from './result';

/**
 * Long pool writes go in chunks, each its own short write transaction (≈10k codes, a few tens of
 * ms), so redemptions in other processes never wait seconds for the lock. The user still sees all
 * or nothing: chunks land in a pending batch that the pool's counters do not include; the batch
 * completes in one short transaction that adds them to `poolSize`, or is discarded.
 *
 * Why pending codes stay out of reach without a flag on each row: one batch per coupon at a time
 * (a second answers `pool_busy`), so a pending batch's codes are the coupon's newest rows; a
 * redemption takes the oldest free code and only when the counters say a counted code is free.
 */
export const chunkCodes = 10_000;
/** A batch left pending this long was abandoned by a process that died; its codes are dropped. */
export const abandonedAfterMs = 10 * 60 * 1000;

export function startBatch(db: Database, orgId: string, couponId: string, now: Date): Result<string> {
  discardAbandoned(db, couponId, now);
  return writeTransaction(db, (tx) => {
    const pending = tx
      .select({ id: codeBatches.id })
      .from(codeBatches)
      .where(and(eq(codeBatches.couponId, couponId), eq(codeBatches.status, 'pending')))
      .get();
    if (pending) return refuse('pool_busy', 'Codes are being added to this pool right now; try again when that finishes');
    const id = newId('cbt');
    tx.insert(codeBatches).values({ id, orgId, couponId, status: 'pending', startedAt: now }).run();
    return ok(id);
  });
}

/** Counts the batch's codes into the pool, in one short transaction. */
export function completeBatch(db: Database, orgId: string, couponId: string, batchId: string, added: number, now: Date): Result<{ total: number }> {
  const done = writeTransaction(db, (tx) => {
    const coupon = findCoupon(tx, orgId, couponId)!;
    if (coupon.poolSize + added > maxPoolSize)
      return refuse('pool_limit_exceeded', `A pool holds at most ${maxPoolSize} codes; this one has ${coupon.poolSize} and the batch adds ${added}`);
    tx.update(codeBatches).set({ status: 'complete' }).where(eq(codeBatches.id, batchId)).run();
    const row = tx
      .update(coupons)
      .set({ poolSize: sql`${coupons.poolSize} + ${added}`, updatedAt: now })
      .where(eq(coupons.id, couponId))
      .returning()
      .get();
    noteStock(tx, row, now);
    return ok({ total: row.poolSize });
  });
  if (!done.ok) discardBatch(db, couponId, batchId);
  return done;
}

/** Drops a batch that will not complete, chunk by chunk (its codes were never counted nor handed out). */
export function discardBatch(db: Database, couponId: string, batchId: string): void {
  for (;;) {
    const removed = writeTransaction(db, (tx) =>
      tx
        .delete(couponCodes)
        // A pending batch's codes are all free, so the pool's free-code index finds them without one of its own.
        .where(
          sql`${couponCodes.id} in (select ${couponCodes.id} from ${couponCodes} where ${couponCodes.couponId} = ${couponId} and ${couponCodes.recordId} is null and ${couponCodes.batchId} = ${batchId} limit ${chunkCodes})`,
        )
        .run(),
    ).changes;
    if (removed === 0) break;
  }
  writeTransaction(db, (tx) => tx.delete(codeBatches).where(eq(codeBatches.id, batchId)).run());
}

function discardAbandoned(db: Database, couponId: string, now: Date): void {
  const stale = db
    .select({ id: codeBatches.id })
    .from(codeBatches)
    .where(and(eq(codeBatches.couponId, couponId), eq(codeBatches.status, 'pending'), lt(codeBatches.startedAt, new Date(now.getTime() - abandonedAfterMs))))
    .all();
  for (const { id } of stale) discardBatch(db, couponId, id);
}

/** The organisation's common codes: a pool code may not equal one (verify could not tell them apart). */
export function commonCodesOf(db: Database, orgId: string): Set<string> {
  const rows = db
    .select({ code: coupons.codeValue })
    .from(coupons)
    .where(and(eq(coupons.orgId, orgId), isNotNull(coupons.codeValue)))
    .all();
  return new Set(rows.map((r) => r.code!));
}

/** Lets other work (requests, other processes' writers) in between two chunks. */
export const yieldToOthers = () => new Promise<void>((resolve) => setImmediate(resolve));
