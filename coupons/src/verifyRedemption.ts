import { and, eq } from 'drizzle-orm';
import { coupons, redemptionRecords, writeTransaction, type Database } from '@couponflow/db';
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
export function verifyRedemption(ctx: EngineContext, orgId: string, input: VerifyInput): Result<VerifiedRecordView> {
  return writeTransaction(ctx.db, (tx) => {
    const now = ctx.now();
    const found = 'redemptionId' in input ? lookupById(tx, orgId, input.redemptionId) : lookupByCode(tx, orgId, input.code.trim());
    const refusal = 'reason' in found ? found.reason : verifyRefusal(tx, found.record, now);
    const record = 'record' in found ? found.record : undefined;
    recordEvent(tx, { orgId, action: 'verify', outcome: refusal ?? 'ok', at: now, couponId: record?.couponId, recordId: record?.id, customerId: record?.customerId });
    if (refusal) return refuse(refusal, messages[refusal]);
    const verified = tx
      .update(redemptionRecords)
      .set({ status: 'verified', verifiedAt: now })
      .where(eq(redemptionRecords.id, record!.id))
      .returning()
      .get();
    const { token: _token, ...view } = recordView(verified, now);
    return ok(view);
  });
}

type Lookup = { record: RecordRow } | { reason: VerifyReason };

function lookupById(db: Database, orgId: string, id: string): Lookup {
  const record = findRecord(db, orgId, id);
  return record ? { record } : { reason: 'not_found' };
}

function lookupByCode(db: Database, orgId: string, code: string): Lookup {
  const common = db.select({ id: coupons.id }).from(coupons).where(and(eq(coupons.orgId, orgId), eq(coupons.codeValue, code))).get();
  if (common) return { reason: 'code_not_unique' };
  let record = recordWithCode(db, orgId, code);
  // A scanned EAN-13 carries the check digit that a stored 12-digit code leaves to the symbology.
  if (!record && /^\d{13}$/.test(code) && ean13CheckDigit(code) === Number(code[12])) record = recordWithCode(db, orgId, code.slice(0, 12));
  return record ? { record } : { reason: 'not_found' };
}

/** Unique codes are unique within the organisation, so at most one record holds one. */
function recordWithCode(db: Database, orgId: string, code: string): RecordRow | undefined {
  return db
    .select()
    .from(redemptionRecords)
    .where(and(eq(redemptionRecords.orgId, orgId), eq(redemptionRecords.code, code)))
    .get();
}

function verifyRefusal(db: Database, record: RecordRow, now: Date): VerifyReason | null {
  if (!record.redeemedAt) return 'not_redeemed';
  if (record.verifiedAt) return 'already_verified';
  const status = effectiveStatus(record, now);
  if (status === 'expired') return 'expired';
  const coupon = db.select({ revokedAt: coupons.revokedAt }).from(coupons).where(eq(coupons.id, record.couponId)).get();
  if (status === 'revoked' || coupon?.revokedAt) return 'revoked';
  return null;
}
