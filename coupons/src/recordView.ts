import type { RecordStatus, redemptionRecords } from '@couponflow/db';
import { isoInstant } from './isoInstant';

export type RecordRow = typeof redemptionRecords.$inferSelect;

export interface RecordView {
  id: string;
  couponId: string;
  customerId: string;
  inboxId: string;
  channel: string;
  status: RecordStatus;
  code: string | null;
  token: string;
  sentAt: string;
  openedAt: string | null;
  redeemedAt: string | null;
  verifiedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
  reversedAt: string | null;
  flowRunId: string | null;
  nodeId: string | null;
}

/** What staff see after verifying: the record without the customer's redeem token (a bearer link). */
export type VerifiedRecordView = Omit<RecordView, 'token'>;

/** A held record whose usable time has passed is expired, whether or not the sweep has run yet. */
export function effectiveStatus(row: Pick<RecordRow, 'status' | 'expiresAt'>, now: Date): RecordStatus {
  const live = row.status === 'sent' || row.status === 'opened' || row.status === 'redeemed';
  return live && row.expiresAt && row.expiresAt.getTime() <= now.getTime() ? 'expired' : row.status;
}

// isoInstant, not toISOString (~0.6 µs each): an offer and its redemption write four or five instants.
const iso = (d: Date | null) => (d == null ? null : isoInstant(d));

/** SPEC §2.3 record fields. */
export function recordView(row: RecordRow, now: Date): RecordView {
  return {
    id: row.id,
    couponId: row.couponId,
    customerId: row.customerId,
    inboxId: row.inboxId,
    channel: row.channel,
    status: effectiveStatus(row, now),
    code: row.code,
    token: row.token,
    sentAt: isoInstant(row.sentAt),
    openedAt: iso(row.openedAt),
    redeemedAt: iso(row.redeemedAt),
    verifiedAt: iso(row.verifiedAt),
    expiresAt: iso(row.expiresAt),
    revokedAt: iso(row.revokedAt),
    reversedAt: iso(row.reversedAt),
    flowRunId: row.flowRunId,
    nodeId: row.nodeId,
  };
}
