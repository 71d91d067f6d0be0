import { and, eq, inArray, sql } from 'drizzle-orm';
import { bind, coupons, newId, newToken, prepared, redemptionRecords, writeTransaction, type Database } from '@couponflow/db';
import type { EngineContext } from './context';
import { addContactTag } from './contactTags';
import type { ContactTags } from './couponSchema';
import { distributionRefusal, issuingRefusal, ruleMessages } from './couponRules';
import { findCoupon } from './findCoupon';
import { recordEvent } from './recordEvent';
import { effectiveStatus, recordView, type RecordRow, type RecordView } from './recordView';
import { ok, refuse, type Result } from './result';
import { offerExpiry } from './usageExpiry';
import { markExpired } from './markExpired';

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
    const coupon = findCoupon(tx, orgId, input.couponId);
    if (!coupon) return refuse('coupon_not_found', 'No such coupon');
    if (input.idempotencyKey) {
      // A key names one offer of one coupon: the same key on another coupon is another offer.
      const repeat = prepared(tx, 'recordByIdempotencyKey', (d) =>
        d
          .select()
          .from(redemptionRecords)
          .where(and(eq(redemptionRecords.couponId, bind('couponId')), eq(redemptionRecords.idempotencyKey, bind('key'))))
          .prepare(),
      ).get({ couponId: coupon.id, key: input.idempotencyKey });
      if (repeat) return ok({ record: recordView(repeat, now), created: false });
    }
    const event = { orgId, action: 'distribute' as const, at: now, couponId: coupon.id, customerId: input.customerId };

    const refusal = distributionRefusal(tx, coupon, { orgId, inboxId: input.inboxId, customerId: input.customerId }, now);
    if (refusal) {
      recordEvent(tx, { ...event, outcome: refusal });
      return refuse(refusal, ruleMessages[refusal]);
    }

    // A customer holds at most one open offer, except after a reversal back to `sent`: then the first live one.
    for (const held of heldRecords(tx, coupon.id, input.customerId)) {
      if (effectiveStatus(held, now) !== 'expired') {
        recordEvent(tx, { ...event, recordId: held.id, outcome: 'ok' });
        return ok({ record: recordView(held, now), created: false });
      }
      markExpired(tx, held.id);
    }
    // Handing back a held record issues nothing; only a new record counts against the issuing limits.
    const notIssued = issuingRefusal(tx, coupon, input.customerId);
    if (notIssued) {
      recordEvent(tx, { ...event, outcome: notIssued });
      return refuse(notIssued, ruleMessages[notIssued]);
    }

    const record = insertSentRecord(tx, {
      id: newId('rdm'),
      orgId,
      couponId: coupon.id,
      customerId: input.customerId,
      inboxId: input.inboxId,
      channel: input.channel,
      token: newToken(),
      idempotencyKey: input.idempotencyKey ?? null,
      sentAt: now.getTime(),
      expiresAt: offerExpiry(coupon, now, null)?.getTime() ?? null,
      flowRunId: input.flowRunId ?? null,
      nodeId: input.nodeId ?? null,
    });
    prepared(tx, 'countIssued', (d) =>
      d.update(coupons).set({ issuedCount: sql`${coupons.issuedCount} + 1` }).where(eq(coupons.id, bind('couponId'))).prepare(),
    ).run({ couponId: coupon.id });
    const tag = (coupon.contactTags as ContactTags).onSent;
    if (tag) addContactTag(tx, { orgId, inboxId: input.inboxId, customerId: input.customerId }, tag, now);
    recordEvent(tx, { ...event, recordId: record.id, outcome: 'ok' });
    return ok({ record: recordView(record, now), created: true });
  });
}

/** The customer's unredeemed records of this coupon (SPEC §2.3: they get theirs again). */
function heldRecords(db: Database, couponId: string, customerId: string) {
  return prepared(db, 'heldRecord', (d) =>
    d
      .select()
      .from(redemptionRecords)
      .where(
        and(
          eq(redemptionRecords.couponId, bind('couponId')),
          eq(redemptionRecords.customerId, bind('customerId')),
          inArray(redemptionRecords.status, ['sent', 'opened']),
        ),
      )
      // No ORDER BY: distribute hands a held record back, so a customer holds at most one or two,
      // and ordering would lure SQLite onto the (coupon, id) index and a scan of the whole campaign.
      .limit(8)
      .prepare(),
  ).all({ couponId, customerId });
}

type SentRecordValues = Record<
  'id' | 'orgId' | 'couponId' | 'customerId' | 'inboxId' | 'channel' | 'token' | 'idempotencyKey' | 'sentAt' | 'expiresAt' | 'flowRunId' | 'nodeId',
  string | number | null
>;

function insertSentRecord(db: Database, values: SentRecordValues): RecordRow {
  const r = redemptionRecords;
  return prepared(db, 'insertSentRecord', (d) =>
    d
      .insert(r)
      .values({
        id: bind('id'),
        orgId: bind('orgId'),
        couponId: bind('couponId'),
        customerId: bind('customerId'),
        inboxId: bind('inboxId'),
        channel: bind('channel'),
        status: 'sent',
        token: bind('token'),
        idempotencyKey: bind('idempotencyKey'),
        sentAt: bind('sentAt'),
        expiresAt: bind('expiresAt'),
        flowRunId: bind('flowRunId'),
        nodeId: bind('nodeId'),
      })
      .returning()
      .prepare(),
  ).get(values)!;
}
