import { and, eq, isNotNull, lt, sql } from 'drizzle-orm';
import { execute, lockForUpdate, newId, writeTransaction, type Database } from '@couponflow/db';
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

export async function startBatch(db: Database, orgId: string, couponId: string, now: Date): Promise<Result<string>> {
  await discardAbandoned(db, couponId, now);
  return writeTransaction(db, async (tx) => {
    const { codeBatches } = tx.tables;
    // One pending batch per coupon: two uploads at once must not both find none.
    await lockForUpdate(tx, 'coupon', couponId);
    const [pending] = await tx
      .select({ id: codeBatches.id })
      .from(codeBatches)
      .where(and(eq(codeBatches.couponId, couponId), eq(codeBatches.status, 'pending')))
      .limit(1);
    if (pending) return refuse('pool_busy', 'Codes are being added to this pool right now; try again when that finishes');
    const id = newId('cbt');
    await tx.insert(codeBatches).values({ id, orgId, couponId, status: 'pending', startedAt: now });
    return ok(id);
  });
}

/** Counts the batch's codes into the pool, in one short transaction. */
export async function completeBatch(db: Database, orgId: string, couponId: string, batchId: string, added: number, now: Date): Promise<Result<{ total: number }>> {
  const done = await writeTransaction(db, async (tx): Promise<Result<{ total: number }>> => {
    const { codeBatches, coupons } = tx.tables;
    await lockForUpdate(tx, 'coupon', couponId);
    const coupon = (await findCoupon(tx, orgId, couponId))!;
    if (coupon.poolSize + added > maxPoolSize)
      return refuse('pool_limit_exceeded', `A pool holds at most ${maxPoolSize} codes; this one has ${coupon.poolSize} and the batch adds ${added}`);
    await tx.update(codeBatches).set({ status: 'complete' }).where(eq(codeBatches.id, batchId));
    const [row] = await tx
      .update(coupons)
      .set({ poolSize: sql`${coupons.poolSize} + ${added}`, updatedAt: now })
      .where(eq(coupons.id, couponId))
      .returning();
    await noteStock(tx, row!, now);
    return ok({ total: row!.poolSize });
  });
  if (!done.ok) await discardBatch(db, couponId, batchId);
  return done;
}

/** Drops a batch that will not complete, chunk by chunk (its codes were never counted nor handed out). */
export async function discardBatch(db: Database, couponId: string, batchId: string): Promise<void> {
  const { codeBatches, couponCodes } = db.tables;
  for (;;) {
    const removed = await writeTransaction(db, (tx) =>
      execute(
        tx,
        // A pending batch's codes are all free, so the pool's free-code index finds them without one of its own.
        sql`delete from ${couponCodes} where ${couponCodes.id} in (select ${couponCodes.id} from ${couponCodes} where ${couponCodes.couponId} = ${couponId} and ${couponCodes.recordId} is null and ${couponCodes.batchId} = ${batchId} limit ${sql.raw(String(chunkCodes))})`,
      ),
    );
    if (removed === 0) break;
  }
  await writeTransaction(db, (tx) => tx.delete(codeBatches).where(eq(codeBatches.id, batchId)));
}

async function discardAbandoned(db: Database, couponId: string, now: Date): Promise<void> {
  const { codeBatches } = db.tables;
  const stale = await db
    .select({ id: codeBatches.id })
    .from(codeBatches)
    .where(and(eq(codeBatches.couponId, couponId), eq(codeBatches.status, 'pending'), lt(codeBatches.startedAt, new Date(now.getTime() - abandonedAfterMs))));
  for (const { id } of stale) await discardBatch(db, couponId, id);
}

/** The organisation's common codes: a pool code may not equal one (verify could not tell them apart). */
export async function commonCodesOf(db: Database, orgId: string): Promise<Set<string>> {
  const { coupons } = db.tables;
  const rows = await db
    .select({ code: coupons.codeValue })
    .from(coupons)
    .where(and(eq(coupons.orgId, orgId), isNotNull(coupons.codeValue)));
  return new Set(rows.map((r) => r.code!));
}

/** Lets other work (requests, other processes' writers) in between two chunks. */
export const yieldToOthers = () => new Promise<void>((resolve) => setImmediate(resolve));
