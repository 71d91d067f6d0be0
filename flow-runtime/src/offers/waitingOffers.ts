import { heldOffers, type HeldOffer } from '@couponflow/coupons';
import { lockForUpdate, type Database } from '@couponflow/db';
import { offerChecks } from '@couponflow/nodes/executors';
import { activeRun } from '../engine/activeRun';
import type { RunRow } from '../engine/walkRun';
import { writeContactEvent } from '../queues/writeOutbox';

export interface WaitingOffer {
  orgId: string;
  inboxId: string;
  customerId: string;
  runId: string;
  nodeId: string;
  waitSerial: number;
}

/**
 * The run waiting at this offer right now, if any: the contact's active run, waiting at a Distribute
 * Coupon that holds this record. (A record handed back to a later run names the first run, so the
 * record's own `flowRunId` is not enough.)
 */
export async function runWaitingOnRecord(db: Database, orgId: string, record: { recordId: string; inboxId: string; customerId: string }): Promise<RunRow | undefined> {
  const run = await activeRun(db, orgId, record.inboxId, record.customerId);
  if (!run || run.status !== 'waiting' || run.waitingFor !== 'redemption' || run.vars['coupon.recordId'] !== record.recordId) return undefined;
  return run;
}

/**
 * Runs waiting on the coupon's unredeemed offers (optionally only these customers'). Call inside
 * the transaction that is about to revoke or switch off the coupon, before the change.
 */
export async function runsWaitingOnCoupon(db: Database, orgId: string, couponId: string, customerIds?: string[]): Promise<WaitingOffer[]> {
  // The coupon's lock (the engine's, taken again by the change that follows): an offer handed out
  // by another process is either committed and seen here, or made after the change, which it sees.
  if (db.inTransaction) await lockForUpdate(db, 'coupon', couponId);
  const waiting: WaitingOffer[] = [];
  for (const offer of (await heldOffers(db, orgId, couponId, customerIds)) as HeldOffer[]) {
    const run = await runWaitingOnRecord(db, orgId, offer);
    if (run) waiting.push({ orgId, inboxId: run.inboxId, customerId: run.customerId, runId: run.id, nodeId: run.currentNodeId!, waitSerial: run.waitSerial });
  }
  return waiting;
}

/**
 * Tells each waiting run to look at its offer again at once, committed with the change: the run
 * resumes by `coupon_expired` (reason `coupon_revoked` / `coupon_inactive`) if the offer ended.
 */
export async function writeOfferChanged(db: Database, waiting: WaitingOffer[], now: Date): Promise<void> {
  for (const w of waiting) {
    const event = { type: 'check', inboxId: w.inboxId, customerId: w.customerId, runId: w.runId, nodeId: w.nodeId, waitSerial: w.waitSerial, check: offerChecks.changed, dueAt: now.getTime() } as const;
    await writeContactEvent(db, w.orgId, event, { now });
  }
}
