import { and, desc, eq, inArray } from 'drizzle-orm';
import { newId, newToken, redemptionRecords, writeTransaction, type Database } from '@couponflow/db';
import type { EngineContext } from './context';
import { addContactTag } from './contactTags';
import type { ContactTags } from './couponSchema';
import { ruleMessages, ruleRefusal } from './couponRules';
import { findCoupon } from './findCoupon';
import { recordEvent } from './recordEvent';
import { effectiveStatus, recordView, type RecordView } from './recordView';
import { ok, refuse, type Result } from './result';
import { offerExpiry } from './usageExpiry';

export interface DistributeInput {
  couponId: string;
  customerId: string;
  inboxId: string;
  channel: string;
  /** the runtime passes `runId:nodeId`; a repeat returns the record made the first time */
  idempotencyKey?: string;
  flowRunId?: string;
  nodeId?: string;
}

export interface Distribution {
  record: RecordView;
  /** false when an existing record was handed back (repeated key, or the customer's open record) */
  created: boolean;
}

/** Offers a coupon to a customer: checks the rules of SPEC §2.4 and makes (or reuses) a `sent` record. */
export function distributeCoupon(ctx: EngineContext, orgId: string, input: DistributeInput): Result<Distribution> {
  return writeTransaction(ctx.db, (tx) => {
    const now = ctx.now();
    if (input.idempotencyKey) {
      const repeat = tx
        .select()
        .from(redemptionRecords)
        .where(and(eq(redemptionRecords.orgId, orgId), eq(redemptionRecords.idempotencyKey, input.idempotencyKey)))
        .get();
      if (repeat) return ok({ record: recordView(repeat, now), created: false });
    }
    const coupon = findCoupon(tx, orgId, input.couponId);
    if (!coupon) return refuse('coupon_not_found', 'No such coupon');
    const event = { orgId, action: 'distribute' as const, at: now, couponId: coupon.id, customerId: input.customerId };

    const refusal = ruleRefusal(tx, coupon, input.customerId, now);
    if (refusal) {
      recordEvent(tx, { ...event, outcome: refusal });
      return refuse(refusal, ruleMessages[refusal]);
    }

    const held = heldRecord(tx, coupon.id, input.customerId);
    if (held) {
      if (effectiveStatus(held, now) !== 'expired') {
        recordEvent(tx, { ...event, recordId: held.id, outcome: 'ok' });
        return ok({ record: recordView(held, now), created: false });
      }
      tx.update(redemptionRecords).set({ status: 'expired' }).where(eq(redemptionRecords.id, held.id)).run();
    }

    const record = tx
      .insert(redemptionRecords)
      .values({
        id: newId('rdm'),
        orgId,
        couponId: coupon.id,
        customerId: input.customerId,
        inboxId: input.inboxId,
        channel: input.channel,
        status: 'sent',
        token: newToken(),
        idempotencyKey: input.idempotencyKey ?? null,
        sentAt: now,
        expiresAt: offerExpiry(coupon, now, null),
        flowRunId: input.flowRunId ?? null,
        nodeId: input.nodeId ?? null,
      })
      .returning()
      .get();
    const tag = (coupon.contactTags as ContactTags).onSent;
    if (tag) addContactTag(tx, { orgId, inboxId: input.inboxId, customerId: input.customerId }, tag, now);
    recordEvent(tx, { ...event, recordId: record.id, outcome: 'ok' });
    return ok({ record: recordView(record, now), created: true });
  });
}

/** The customer's unredeemed record of this coupon, if any (SPEC §2.3: they get it again). */
function heldRecord(db: Database, couponId: string, customerId: string) {
  return db
    .select()
    .from(redemptionRecords)
    .where(
      and(
        eq(redemptionRecords.couponId, couponId),
        eq(redemptionRecords.customerId, customerId),
        inArray(redemptionRecords.status, ['sent', 'opened']),
      ),
    )
    .orderBy(desc(redemptionRecords.id))
    .get();
}
