import { and, eq } from 'drizzle-orm';
import { bind, lockForShare, lockForUpdate, newId, prepared, writeTransaction, type Channel, type Database } from '@couponflow/db';
import { recordInbound } from '../channels/contactChannelState';
import { compiledFlow, type CompiledFlow } from '../flows/compiledFlow';
import type { ContactEvent, EventOutcome } from './contactEvents';
import { activeRun } from './activeRun';
import { findTriggers } from './findTrigger';
import type { KnownRuns } from './groupRuns';
import { inboxInfo, type StepEnv } from './stepEnv';
import { newRun, resumeRun, saveRun, walkFrom, type RunRow } from './walkRun';

/**
 * Applies one contact event in a single write transaction: the run's steps, the coupon it
 * distributes and the messages it queues commit together or not at all, so a worker killed at any
 * moment leaves either nothing or everything, and the retried job finds the work done.
 *
 * Everything an event decides is about one contact's runs (start one, end one, resume the waiting
 * one), so the transaction first locks the contact: events of the same contact applied at once by
 * several processes (a broadcast start beside a message, a job taken again after a stall) take
 * turns, and each reads what the one before committed. Called with a transaction (a broadcast's
 * group of contacts), it runs as a savepoint of it.
 */
export function applyContactEvent(env: StepEnv, event: ContactEvent): Promise<EventOutcome> {
  return writeTransaction(env.db, async (tx) => {
    await lockForUpdate(tx, 'contact', contactLockKey(event.inboxId, event.customerId));
    return applyLocked({ ...env, db: tx }, event);
  });
}

/**
 * The event applied in the transaction `env.db`, which already holds the contact's lock, without a
 * savepoint of its own: when it throws, what it wrote so far is still there, so the caller must
 * roll back the whole transaction (a broadcast's group does, then applies each contact apart).
 */
export async function applyLocked(env: StepEnv, event: ContactEvent, known?: KnownRuns): Promise<EventOutcome> {
  const conflicts: { error?: unknown } = {};
  const outcome = await applyIn({ ...env, conflicts }, event, known);
  // A block swallowed a lost lock race: the step runs again rather than take a wrong turn.
  if (conflicts.error) throw conflicts.error;
  return outcome;
}

/** `known`: a broadcast start's runs, already read for its group (see groupRuns). */
async function applyIn(step: StepEnv, event: ContactEvent, known?: KnownRuns): Promise<EventOutcome> {
  const tx = step.db;
  switch (event.type) {
    case 'message':
      return applyMessage(step, event);
    case 'broadcast':
      return applyBroadcastStart(step, event, known);
    case 'redemption':
      return resumeWaiting(step, event.runId, event.nodeId, 'redemption', { kind: 'redemption', outcome: event.outcome, ...(event.code !== undefined ? { code: event.code } : {}) });
    case 'delivery_failed':
      return resumeWaiting(step, event.runId, event.nodeId, 'redemption', { kind: 'delivery_failed', reason: event.reason });
    case 'timeout': {
      const run = await loadRun(tx, event.runId);
      if (!run || run.waitSerial !== event.waitSerial) return 'ignored';
      return resumeWaiting(step, event.runId, event.nodeId, 'reply', { kind: 'timeout' });
    }
    case 'check': {
      // Same wait only: a check of an earlier wait (or a duplicate after the run moved on) does nothing.
      const run = await loadRun(tx, event.runId);
      if (!run || run.waitSerial !== event.waitSerial) return 'ignored';
      return resumeWaiting(step, event.runId, event.nodeId, run.waitingFor ?? 'redemption', { kind: 'check', check: event.check, dueAt: new Date(event.dueAt) });
    }
  }
}

/** The one key every transaction deciding about this contact's runs locks first. */
export const contactLockKey = (inboxId: string, customerId: string) => `${inboxId}:${customerId}`;

async function applyMessage(env: StepEnv, event: Extract<ContactEvent, { type: 'message' }>): Promise<EventOutcome> {
  // The platform's event id, claimed in the transaction that applies it: a redelivery (even one
  // applied at the same moment elsewhere: the insert waits for the other to commit) changes nothing.
  const fresh = await prepared(env.db, 'markEventProcessed', (d, t) =>
    d.insert(t.processedEvents).values({ inboxId: bind('inboxId'), eventId: bind('eventId'), processedAt: bind('at') }).onConflictDoNothing(),
  ).run({ inboxId: event.inboxId, eventId: event.eventId, at: env.now() });
  if (fresh === 0) return 'duplicate';
  const inbox = await inboxInfo(env.db, event.inboxId);
  if (!inbox) return 'ignored';
  await recordInbound(
    env.db,
    { orgId: inbox.orgId, inboxId: event.inboxId, customerId: event.customerId },
    { at: event.receivedAt ?? env.now().getTime(), ...(event.name ? { name: event.name } : {}), ...(event.channelData ? { channelData: event.channelData } : {}) },
  );
  const active = await activeRun(env.db, inbox.orgId, event.inboxId, event.customerId);
  const contact = { orgId: inbox.orgId, inboxId: event.inboxId, channel: inbox.channel as Channel, customerId: event.customerId };

  const { keyword: keywordFlow, fallback: defaultFlow } = await findTriggers(env.db, inbox.orgId, event.text);
  if (keywordFlow) {
    // SPEC §3.4: a keyword starts a new run and ends the one that was waiting.
    if (active) await cancelRun(env, active, 'replaced_by_keyword');
    await startRun(env, keywordFlow, contact);
    return 'started';
  }
  if (active?.status === 'waiting' && active.waitingFor === 'reply') {
    return (await resumeRun(env, active, await compiledFlow(env.db, active.flowId, active.version), { kind: 'reply', text: event.text })) ? 'applied' : 'ignored';
  }
  // Waiting at a coupon offer: the offer stays valid and other messages are ignored.
  if (active) return 'ignored';
  if (!defaultFlow) return 'ignored';
  await startRun(env, defaultFlow, contact);
  return 'started';
}

async function applyBroadcastStart(env: StepEnv, event: Extract<ContactEvent, { type: 'broadcast' }>, known?: KnownRuns): Promise<EventOutcome> {
  // One run per contact per broadcast: checked under the contact's lock, and the unique index
  // (broadcast, customer) refuses a second one whatever happens.
  const already =
    known?.started ??
    (await prepared(env.db, 'broadcastRun', (d, { flowRuns }) =>
      d.select({ id: flowRuns.id }).from(flowRuns).where(and(eq(flowRuns.broadcastId, bind('broadcastId')), eq(flowRuns.customerId, bind('customerId')))),
    ).get({ broadcastId: event.broadcastId, customerId: event.customerId }));
  if (already) return 'skipped';
  const inbox = await inboxInfo(env.db, event.inboxId);
  if (!inbox) return 'failed';
  const active = known ? known.active : await activeRun(env.db, inbox.orgId, event.inboxId, event.customerId);
  if (active) await cancelRun(env, active, 'replaced_by_broadcast');
  const flow = await compiledFlow(env.db, event.flowId, event.version);
  await startRun(env, flow, { orgId: inbox.orgId, inboxId: event.inboxId, channel: inbox.channel as Channel, customerId: event.customerId }, event.broadcastId);
  return 'started';
}

/**
 * Waiting → resumed by exactly one outcome: the run is read under the contact's lock, so of two
 * events racing to resume the same wait the second finds it no longer waiting there.
 */
async function resumeWaiting(env: StepEnv, runId: string, nodeId: string, waitingFor: 'reply' | 'redemption', resume: Parameters<typeof resumeRun>[3]): Promise<EventOutcome> {
  const run = await loadRun(env.db, runId);
  if (!run || run.status !== 'waiting' || run.currentNodeId !== nodeId || run.waitingFor !== waitingFor) return 'ignored';
  return (await resumeRun(env, run, await compiledFlow(env.db, run.flowId, run.version), resume)) ? 'applied' : 'ignored';
}

async function startRun(
  env: StepEnv,
  flow: CompiledFlow,
  contact: { orgId: string; inboxId: string; channel: Channel; customerId: string },
  broadcastId: string | null = null,
): Promise<RunRow> {
  // Deleting the flow waits for the runs starting on it to commit (and then sees them as active).
  await shareFlowLock(env.db, flow.flowId);
  const run = newRun({ id: newId('run'), ...contact, flowId: flow.flowId, version: flow.version, currentNodeId: flow.start.id, broadcastId }, env.now());
  // The walk stores the run where it stops (a wait, or its end), all in this transaction.
  await walkFrom(env, run, flow, flow.start, { stored: false });
  return run;
}

async function cancelRun(env: StepEnv, run: RunRow, reason: string): Promise<void> {
  const now = env.now();
  Object.assign(run, { status: 'cancelled', waitingFor: null, endReason: reason, endedAt: now });
  await saveRun(env.db, run, now);
}

// PostgreSQL: the flows whose shared lock a transaction holds already (a broadcast group starts many runs on one).
const sharedFlows = new WeakMap<Database, Set<string>>();

async function shareFlowLock(db: Database, flowId: string): Promise<void> {
  if (db.backend !== 'postgres') return lockForShare(db, 'flow', flowId);
  let held = sharedFlows.get(db);
  if (held?.has(flowId)) return;
  await lockForShare(db, 'flow', flowId);
  if (!held) sharedFlows.set(db, (held = new Set()));
  held.add(flowId);
}

export const loadRun = (db: Database, runId: string) =>
  prepared(db, 'loadRun', (d, { flowRuns }) => d.select().from(flowRuns).where(eq(flowRuns.id, bind('id')))).get({ id: runId });
