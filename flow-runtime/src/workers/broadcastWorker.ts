import { Worker } from 'bullmq';
import { isRetryableConflict, lockForUpdate, newId, withoutNestedSavepoints, writeTransaction, type Channel, type Database } from '@couponflow/db';
import type { BroadcastChunk } from '../broadcasts/broadcastChunk';
import { applyContactEvent, applyLocked, contactLockKey } from '../engine/applyContactEvent';
import { contactsPerGroup, groupRuns } from '../engine/groupRuns';
import { inboxInfo, type StepEnv } from '../engine/stepEnv';
import { queueNames, type RuntimeQueues } from '../queues/runtimeQueues';
import { deliveryPace } from '../broadcasts/deliveryPace';
import { outboundOrder } from './outboundOrder';

/**
 * Contacts per commit. The group holds the database's write lock (SQLite: the whole file, for every
 * process) and this process's event loop until it commits: 100 keeps that to about 15 ms on an idle
 * host. A commit writes each page the group touched once, so larger groups write fewer pages per
 * contact: the step alone took 0.15 ms of CPU per contact in groups of 100 against 0.18 in groups of
 * 25 (median of 5 interleaved runs each).
 */
const contactsPerCommit = contactsPerGroup;

/**
 * Starts the broadcast's flow for each contact of a chunk, a group of contacts per commit. A retried
 * chunk skips contacts that already have their run, so nobody gets the flow (or a coupon) twice.
 */
export function broadcastWorker(env: StepEnv, queues: RuntimeQueues, { concurrency = 2 } = {}): Worker<BroadcastChunk> {
  const order = outboundOrder(queues.connection, queues.prefix);
  return new Worker<BroadcastChunk>(
    queueNames.broadcasts,
    (job) => applyBroadcastChunk(env, job.data, deliveryPace(() => order.pending(job.data.inboxId))),
    { ...queues.workerOptions(), concurrency },
  );
}

/**
 * Starts the chunk's contacts' runs, a group of contacts per commit; how many failed to start.
 * `keepPace` is awaited before each group (the worker's `deliveryPace`: waits while the inbox's delivery is behind).
 */
export async function applyBroadcastChunk(
  env: StepEnv,
  chunk: BroadcastChunk,
  keepPace: () => Promise<void> = async () => {},
): Promise<{ contacts: number; failed: number }> {
  const customerIds = [...chunk.customerIds].sort();
  let failed = 0;
  for (let at = 0; at < customerIds.length; at += contactsPerCommit) {
    await keepPace();
    const group = customerIds.slice(at, at + contactsPerCommit);
    // One commit for a group of contacts: commits, not statements, are what a broadcast spends its
    // time on. The group first runs without a savepoint per contact; should a contact fail, the
    // whole group is rolled back and run again with one, so that contact alone is marked failed.
    if (!(await startedTogether(env, chunk, group))) failed += await startedApart(env, chunk, group);
    await env.flushOutbox();
  }
  return { contacts: customerIds.length, failed };
}

const startOf = ({ broadcastId, flowId, version, inboxId }: BroadcastChunk, customerId: string) => ({ type: 'broadcast', broadcastId, flowId, version, inboxId, customerId }) as const;

/**
 * Each start locks its contact, and a coupon it hands out, until the commit. Locking the group's
 * contacts first, in one order, keeps two chunks sharing contacts (or a contact's own event) from
 * each holding what the other waits for.
 */
async function lockGroup(tx: Database, inboxId: string, group: string[]): Promise<void> {
  for (const customerId of group) await lockForUpdate(tx, 'contact', contactLockKey(inboxId, customerId));
}

/** The group's starts in one transaction, no savepoints; false (nothing kept) when one of them failed. */
async function startedTogether(env: StepEnv, chunk: BroadcastChunk, group: string[]): Promise<boolean> {
  const failedContact = new Error('a contact of the group failed');
  try {
    // Re-runnable: its only effects are its statements, so group commit need not wrap it in a
    // savepoint; nor do the distributions in it (any failure sends the group down the fallback).
    await writeTransaction(
      env.db,
      async (outer) => {
        const tx = withoutNestedSavepoints(outer);
        await lockGroup(tx, chunk.inboxId, group);
        const step = { ...env, db: tx };
        const inbox = await inboxInfo(tx, chunk.inboxId);
        const known = inbox ? await groupRuns(tx, { broadcastId: chunk.broadcastId, orgId: inbox.orgId, inboxId: chunk.inboxId }, group) : undefined;
        for (const customerId of group) {
          try {
            await applyLocked(step, startOf(chunk, customerId), known?.get(customerId));
          } catch (error) {
            // Lost a race for a lock: the whole group runs again (as before), rather than the contact missing the broadcast.
            throw isRetryableConflict(error) ? error : failedContact;
          }
        }
      },
      { rerunnable: true },
    );
    return true;
  } catch (error) {
    if (error === failedContact) return false;
    throw error;
  }
}

/** The group's starts, each in its own savepoint: a contact whose start fails is recorded as failed. */
function startedApart(env: StepEnv, chunk: BroadcastChunk, group: string[]): Promise<number> {
  return writeTransaction(env.db, async (tx) => {
    await lockGroup(tx, chunk.inboxId, group);
    let failures = 0;
    for (const customerId of group) {
      try {
        await applyContactEvent({ ...env, db: tx }, startOf(chunk, customerId));
      } catch (error) {
        if (isRetryableConflict(error)) throw error;
        failures++;
        await recordFailedStart(tx, env.now(), chunk, customerId, error as Error);
      }
    }
    return failures;
  });
}

/** A contact whose start failed unexpectedly gets a failed run, so progress counts it and a retry skips it. */
async function recordFailedStart(db: Database, now: Date, chunk: BroadcastChunk, customerId: string, error: Error): Promise<void> {
  const inbox = await inboxInfo(db, chunk.inboxId);
  await db
    .insert(db.tables.flowRuns)
    .values({
      id: newId('run'),
      orgId: inbox?.orgId ?? '',
      flowId: chunk.flowId,
      version: chunk.version,
      inboxId: chunk.inboxId,
      channel: (inbox?.channel ?? 'webchat') as Channel,
      customerId,
      status: 'failed',
      vars: {},
      broadcastId: chunk.broadcastId,
      endReason: `start_failed: ${error.message}`.slice(0, 500),
      startedAt: now,
      updatedAt: now,
      endedAt: now,
    })
    .onConflictDoNothing();
}
