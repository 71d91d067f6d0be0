import { eq } from 'drizzle-orm';
import type { CouponEngine } from '@couponflow/coupons';
import { bind, inboxes, organisations, prepared, type Database } from '@couponflow/db';

/** What executing a flow step needs, whichever worker runs it. */
export interface StepEnv {
  db: Database;
  coupons: CouponEngine;
  publicUrl: string;
  now(): Date;
  /** hands what a committed step wrote to the outbox to Redis; never throws (the sweep retries) */
  flushOutbox(): Promise<void>;
}

export interface InboxInfo {
  id: string;
  orgId: string;
  channel: string;
  rateLimitPerSecond: number;
}

// An inbox's org and channel never change, so they are read once per process.
const inboxCache = new Map<string, InboxInfo>();

export function inboxInfo(db: Database, inboxId: string): InboxInfo | undefined {
  let info = inboxCache.get(inboxId);
  if (!info) {
    info = db
      .select({ id: inboxes.id, orgId: inboxes.orgId, channel: inboxes.channel, rateLimitPerSecond: inboxes.rateLimitPerSecond })
      .from(inboxes)
      .where(eq(inboxes.id, inboxId))
      .get();
    if (info) inboxCache.set(inboxId, info);
  }
  return info;
}

/** Read at each use: an admin may switch the add-on off at any time, in any process. */
export function couponsEnabled(db: Database, orgId: string): boolean {
  const org = prepared(db, 'orgFeatures', (d) =>
    d.select({ features: organisations.features }).from(organisations).where(eq(organisations.id, bind('id'))).prepare(),
  ).get({ id: orgId });
  return org?.features.coupons === true;
}
