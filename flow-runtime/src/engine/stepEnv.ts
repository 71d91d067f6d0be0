import { eq } from 'drizzle-orm';
import { bind, prepared, type Database } from '@couponflow/db';
import type { CouponsFor } from './couponsIn';

/** What executing a flow step needs, whichever worker runs it. */
export interface StepEnv {
  /** the database; inside a step, the step's transaction */
  db: Database;
  /** the coupon engine on a database handle (a step passes its transaction: see couponsIn) */
  coupons: CouponsFor;
  publicUrl: string;
  now(): Date;
  /** hands what a committed step wrote to the outbox to Redis; never throws (the sweep retries) */
  flushOutbox(): Promise<void>;
  /** inside a step: a lost lock race a block swallowed, rethrown when the step ends (see couponsIn) */
  conflicts?: { error?: unknown };
}

export interface InboxInfo {
  id: string;
  orgId: string;
  channel: string;
  rateLimitPerSecond: number;
}

// An inbox's org and channel never change, so they are read once per process.
const inboxCache = new Map<string, InboxInfo>();

export async function inboxInfo(db: Database, inboxId: string): Promise<InboxInfo | undefined> {
  let info = inboxCache.get(inboxId);
  if (!info) {
    info = await prepared(db, 'inboxInfo', (d, t) =>
      d
        .select({ id: t.inboxes.id, orgId: t.inboxes.orgId, channel: t.inboxes.channel, rateLimitPerSecond: t.inboxes.rateLimitPerSecond })
        .from(t.inboxes)
        .where(eq(t.inboxes.id, bind('id'))),
    ).get({ id: inboxId });
    if (info) inboxCache.set(inboxId, info);
  }
  return info;
}

/** Read at each use: an admin may switch the add-on off at any time, in any process. */
export async function couponsEnabled(db: Database, orgId: string): Promise<boolean> {
  const org = await prepared(db, 'orgFeatures', (d, t) =>
    d.select({ features: t.organisations.features }).from(t.organisations).where(eq(t.organisations.id, bind('id'))),
  ).get({ id: orgId });
  return org?.features.coupons === true;
}
