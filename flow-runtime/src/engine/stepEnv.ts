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

// Read once per transaction and organisation (a broadcast's group of contacts shares one transaction).
const enabledIn = new WeakMap<Database, Map<string, boolean>>();

/**
 * Read in each transaction: an admin may switch the add-on off at any time, in any process. Within
 * one transaction the first answer stands (the switch commits before it or after it).
 */
export async function couponsEnabled(db: Database, orgId: string): Promise<boolean> {
  let known = db.inTransaction ? enabledIn.get(db) : undefined;
  const cached = known?.get(orgId);
  if (cached !== undefined) return cached;
  const enabled = await readCouponsEnabled(db, orgId);
  if (db.inTransaction) {
    if (!known) enabledIn.set(db, (known = new Map()));
    known.set(orgId, enabled);
  }
  return enabled;
}

async function readCouponsEnabled(db: Database, orgId: string): Promise<boolean> {
  const org = await prepared(db, 'orgFeatures', (d, t) =>
    d.select({ features: t.organisations.features }).from(t.organisations).where(eq(t.organisations.id, bind('id'))),
  ).get({ id: orgId });
  return org?.features.coupons === true;
}
