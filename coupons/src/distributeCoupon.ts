import { and, eq, inArray } from 'drizzle-orm';
import { bind, newId, newToken, prepared, redemptionRecords, writeTransaction, type Database } from '@couponflow/db';
import type { EngineContext } from './context';
import { addContactTag } from './contactTags';
import type { ContactTags } from './couponSchema';
import { ruleMessages, ruleRefusal } from './couponRules';
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
    if (input.idempotencyKey) {
      const repeat = prepared(tx, 'recordByIdempotencyKey', (d) =>
        d.select().from(redemptionRecords).where(and(eq(redemptionRecords.orgId, bind('orgId')), eq(redemptionRecords.idempotencyKey, bind('key')))).prepare(),
      ).get({ orgId, key: input.idempotencyKey });
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
      markExpired(tx, held.id);
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
    const tag = (coupon.contactTags as ContactTags).onSent;
    if (tag) addContactTag(tx, { orgId, inboxId: input.inboxId, customerId: input.customerId }, tag, now);
    recordEvent(tx, { ...event, recordId: record.id, outcome: 'ok' });
    return ok({ record: recordView(record, now), created: true });
  });
}

/** The customer's unredeemed record of this coupon, if any (SPEC §2.3: they get it again). */
function heldRecord(db: Database, couponId: string, customerId: string) {
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
      // No ORDER BY: distribute hands a held record back, so a customer holds at most one, and
      // ordering would lure SQLite onto the (coupon, id) index and a scan of the whole campaign.
      .limit(1)
      .prepare(),
  ).get({ couponId, customerId });
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
