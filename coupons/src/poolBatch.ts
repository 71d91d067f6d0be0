import { and, eq, isNotNull, lt, sql } from 'drizzle-orm';
import { execute, lockForUpdate, newId, writeTransaction, type Database, type PoolTarget } from '@couponflow/db';
import { maxPoolSize } from './poolLimits';
import { noteStock } from './lowStock';
import { findCoupon } from './findCoupon';
import { ok, refuse, type Result } from './result';
import { nextUpdatedAt } from './cachedCoupon';

/**
 * Long pool writes go in chunks, each its own short write transaction (≈10k codes, a few tens of
 * ms), so redemptions in other processes never wait seconds for the lock. The user still sees all
 * or nothing: chunks land in a pending batch that the pool's counters do not include; the batch
 * completes in one short transaction that adds them to `poolSize`, or is discarded.
 *
 * Why pending codes stay out of reach without a flag on each row: one batch per coupon at a time
 * (a second answers `pool_busy`), so a pending batch's codes are the coupon's newest rows; a
 * redemption takes the oldest free code and only when the counters say a counted code is free.
 * For the same reason a batch needs no id on its codes: they are its pool's codes past the
 * largest code id there was when it started.
 */
export const chunkCodes = 10_000;
/** A batch left pending this long was abandoned by a process that died; its codes are dropped. */
export const abandonedAfterMs = 10 * 60 * 1000;

/** A pending batch: where its codes go, and the code id they all come after. */
export interface PoolBatch extends PoolTarget {
  id: string;
  afterCodeId: number;
}

export async function startBatch(db: Database, orgId: string, couponId: string, now: Date): Promise<Result<PoolBatch>> {
  await discardAbandoned(db, couponId, now);
  return writeTransaction(db, async (tx) => {
    const { poolBatches, poolCodes } = tx.tables;
    // One pending batch per coupon: two uploads at once must not both find none.
    await lockForUpdate(tx, 'coupon', couponId);
    const [pending] = await tx
      .select({ id: poolBatches.id })
      .from(poolBatches)
      .where(and(eq(poolBatches.couponId, couponId), eq(poolBatches.status, 'pending')))
      .limit(1);
    if (pending) return refuse('pool_busy', 'Codes are being added to this pool right now; try again when that finishes');
    const target = await poolOf(tx, orgId, couponId);
    // Read under the coupon's lock with no batch of this pool pending: every code of the pool is
    // committed and at or below it, and every code written from now on gets a larger id.
    const [last] = await tx.select({ id: sql<number>`coalesce(max(${poolCodes.id}), 0)` }).from(poolCodes);
    const batch = { id: newId('cbt'), ...target, afterCodeId: Number(last!.id) };
    await tx.insert(poolBatches).values({ id: batch.id, orgId, couponId, poolId: batch.poolId, afterCodeId: batch.afterCodeId, status: 'pending', startedAt: now });
    return ok(batch);
  });
}

/** The coupon's pool and its organisation's code space, made on first use (under the coupon's lock). */
async function poolOf(tx: Database, orgId: string, couponId: string): Promise<PoolTarget> {
  const { codeSpaces, pools } = tx.tables;
  const [known] = await tx.select({ poolId: pools.id, spaceId: pools.spaceId }).from(pools).where(eq(pools.couponId, couponId)).limit(1);
  if (known) return known;
  // Two coupons of one organisation may get their first pool at once: the unique org_id decides.
  await tx.insert(codeSpaces).values({ orgId }).onConflictDoNothing();
  const [space] = await tx.select({ id: codeSpaces.id }).from(codeSpaces).where(eq(codeSpaces.orgId, orgId)).limit(1);
  const [pool] = await tx.insert(pools).values({ couponId, spaceId: space!.id }).returning({ id: pools.id });
  return { poolId: pool!.id, spaceId: space!.id };
}

/** Counts the batch's codes into the pool, in one short transaction. */
export async function completeBatch(db: Database, orgId: string, couponId: string, batch: PoolBatch, added: number, now: Date): Promise<Result<{ total: number }>> {
  const done = await writeTransaction(db, async (tx): Promise<Result<{ total: number }>> => {
    const { poolBatches, coupons } = tx.tables;
    await lockForUpdate(tx, 'coupon', couponId);
    const coupon = (await findCoupon(tx, orgId, couponId))!;
    if (coupon.poolSize + added > maxPoolSize)
      return refuse('pool_limit_exceeded', `A pool holds at most ${maxPoolSize} codes; this one has ${coupon.poolSize} and the batch adds ${added}`);
    await tx.update(poolBatches).set({ status: 'complete' }).where(eq(poolBatches.id, batch.id));
    const [row] = await tx
      .update(coupons)
      .set({ poolSize: sql`${coupons.poolSize} + ${added}`, updatedAt: nextUpdatedAt(coupon.updatedAt, now) })
      .where(eq(coupons.id, couponId))
      .returning();
    await noteStock(tx, row!, now);
    return ok({ total: row!.poolSize });
  });
  if (!done.ok) await discardBatch(db, batch);
  return done;
}

/** Drops a batch that will not complete, chunk by chunk (its codes were never counted nor handed out). */
export async function discardBatch(db: Database, batch: Pick<PoolBatch, 'id' | 'poolId' | 'afterCodeId'>): Promise<void> {
  const { poolBatches, poolCodes } = db.tables;
  for (;;) {
    const removed = await writeTransaction(db, (tx) =>
      execute(
        tx,
        // A pending batch's codes are never handed out (the pool's counters do not count them yet).
        sql`delete from ${poolCodes} where ${poolCodes.id} in (select ${poolCodes.id} from ${poolCodes} where ${poolCodes.poolId} = ${batch.poolId} and ${poolCodes.id} > ${batch.afterCodeId} limit ${sql.raw(String(chunkCodes))})`,
      ),
    );
    if (removed === 0) break;
  }
  await writeTransaction(db, (tx) => tx.delete(poolBatches).where(eq(poolBatches.id, batch.id)));
}

async function discardAbandoned(db: Database, couponId: string, now: Date): Promise<void> {
  const { poolBatches } = db.tables;
  const stale = await db
    .select({ id: poolBatches.id, poolId: poolBatches.poolId, afterCodeId: poolBatches.afterCodeId })
    .from(poolBatches)
    .where(and(eq(poolBatches.couponId, couponId), eq(poolBatches.status, 'pending'), lt(poolBatches.startedAt, new Date(now.getTime() - abandonedAfterMs))));
  for (const batch of stale) await discardBatch(db, batch);
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
