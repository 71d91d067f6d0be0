import { and, eq, getTableColumns } from 'drizzle-orm';
import { lockAndRefresh, writeTransaction, type Database } from '@couponflow/db';
import type { EngineContext } from './context';
import { findRecord } from './findRecord';
import { recordEvent } from './recordEvent';
import { effectiveStatus, recordView, type RecordRow, type VerifiedRecordView } from './recordView';
import { ok, refuse, type Result, type VerifyReason } from './result';
import { ean13CheckDigit } from './symbology';

export type VerifyInput = { code: string } | { redemptionId: string };

const messages: Record<VerifyReason, string> = {
  not_found: 'No redemption with this code',
  not_redeemed: 'The coupon was sent but not redeemed yet',
  already_verified: 'This code was already used',
  expired: 'This code has expired',
  revoked: 'This code was revoked',
  code_not_unique: 'This is a common code shared by many customers: verify it by its redemption id',
};

/** Staff at the point of sale mark a shown code used; refusals in SPEC §2.4's order. */
export function verifyRedemption(ctx: EngineContext, orgId: string, input: VerifyInput): Promise<Result<VerifiedRecordView>> {
  return writeTransaction(ctx.db, async (tx) => {
    const now = ctx.now();
    const found = 'redemptionId' in input ? await lookupById(tx, orgId, input.redemptionId) : await lookupByCode(tx, orgId, input.code.trim());
    // Two tills scanning one code at once: the coupon's lock lets one verify and the other see it verified.
    const record = 'record' in found ? await lockAndRefresh(tx, 'coupon', found.record.couponId, found.record, async () => (await findRecord(tx, orgId, found.record.id))!) : undefined;
    const refusal = 'reason' in found ? found.reason : await verifyRefusal(tx, record!, now);
    await recordEvent(tx, { orgId, action: 'verify', outcome: refusal ?? 'ok', at: now, couponId: record?.couponId, recordId: record?.id, customerId: record?.customerId });
    if (refusal) return refuse(refusal, messages[refusal]);
    const r = tx.tables.redemptionRecords;
    const [verified] = await tx.update(r).set({ status: 'verified', verifiedAt: now }).where(eq(r.id, record!.id)).returning();
    const { token: _token, ...view } = recordView(verified!, now);
    return ok(view);
  });
}

type Lookup = { record: RecordRow } | { reason: VerifyReason };

async function lookupById(db: Database, orgId: string, id: string): Promise<Lookup> {
  const record = await findRecord(db, orgId, id);
  return record ? { record } : { reason: 'not_found' };
}

async function lookupByCode(db: Database, orgId: string, code: string): Promise<Lookup> {
  const { coupons } = db.tables;
  const [common] = await db
    .select({ id: coupons.id })
    .from(coupons)
    .where(and(eq(coupons.orgId, orgId), eq(coupons.codeValue, code)))
    .limit(1);
  if (common) return { reason: 'code_not_unique' };
  let record = await recordWithCode(db, orgId, code);
  // A scanned EAN-13 carries the check digit that a stored 12-digit code leaves to the symbology.
  if (!record && /^\d{13}$/.test(code) && ean13CheckDigit(code) === Number(code[12])) record = await recordWithCode(db, orgId, code.slice(0, 12));
  return record ? { record } : { reason: 'not_found' };
}

/**
 * A unique code is found through its pool code (the organisation's code space, then the unique
 * index on (space, code)) and the record it was taken for, so a redemption writes no index entry
 * for its code on the record. The link stays after a reversal retires the code, so the record must
 * still hold that code; it must also be of this organisation, however it was reached.
 */
async function recordWithCode(db: Database, orgId: string, code: string): Promise<RecordRow | undefined> {
  const { codeSpaces: s, poolCodes: c, takenCodes: t, redemptionRecords: r } = db.tables;
  const [record] = await db
    .select(getTableColumns(r))
    .from(s)
    .innerJoin(c, and(eq(c.spaceId, s.id), eq(c.code, code)))
    .innerJoin(t, eq(t.codeId, c.id))
    .innerJoin(r, eq(r.id, t.recordId))
    .where(and(eq(s.orgId, orgId), eq(r.orgId, orgId), eq(r.code, code)))
    .limit(1);
  return record;
}

async function verifyRefusal(db: Database, record: RecordRow, now: Date): Promise<VerifyReason | null> {
  if (!record.redeemedAt) return 'not_redeemed';
  if (record.verifiedAt) return 'already_verified';
  const status = effectiveStatus(record, now);
  if (status === 'expired') return 'expired';
  const { coupons } = db.tables;
  const [coupon] = await db.select({ revokedAt: coupons.revokedAt }).from(coupons).where(eq(coupons.id, record.couponId)).limit(1);
  if (status === 'revoked' || coupon?.revokedAt) return 'revoked';
  return null;
}
