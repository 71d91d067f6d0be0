import { and, eq } from 'drizzle-orm';
import { bind, flowRuns, newId, prepared, processedEvents, writeTransaction, type Channel, type Database } from '@couponflow/db';
import { recordInbound } from '../channels/contactChannelState';
import { compiledFlow, type CompiledFlow } from '../flows/compiledFlow';
import type { ContactEvent, EventOutcome } from './contactEvents';
import { activeRun } from './activeRun';
import { findTrigger } from './findTrigger';
import { inboxInfo, type StepEnv } from './stepEnv';
import { resumeRun, saveRun, walkFrom, type RunRow } from './walkRun';

/**
 * Applies one contact event in a single write transaction: the run's steps, the coupon it
 * distributes and the messages it queues commit together or not at all, so a worker killed at any
 * moment leaves either nothing or everything, and the retried job finds the work done.
 */
export function applyContactEvent(env: StepEnv, event: ContactEvent): EventOutcome {
  return writeTransaction(env.db, () => {
    switch (event.type) {
      case 'message':
        return applyMessage(env, event);
      case 'broadcast':
        return applyBroadcastStart(env, event);
      case 'redemption':
        return resumeWaiting(env, event.runId, event.nodeId, 'redemption', { kind: 'redemption', outcome: event.outcome, code: event.code });
      case 'delivery_failed':
        return resumeWaiting(env, event.runId, event.nodeId, 'redemption', { kind: 'delivery_failed', reason: event.reason });
      case 'timeout': {
        const run = loadRun(env.db, event.runId);
        if (!run || run.waitSerial !== event.waitSerial) return 'ignored';
        return resumeWaiting(env, event.runId, event.nodeId, 'reply', { kind: 'timeout' });
      }
      case 'check': {
        // Same wait only: a check of an earlier wait (or a duplicate after the run moved on) does nothing.
        const run = loadRun(env.db, event.runId);
        if (!run || run.waitSerial !== event.waitSerial) return 'ignored';
        return resumeWaiting(env, event.runId, event.nodeId, run.waitingFor ?? 'redemption', { kind: 'check', check: event.check, dueAt: new Date(event.dueAt) });
      }
    }
  });
}

function applyMessage(env: StepEnv, event: Extract<ContactEvent, { type: 'message' }>): EventOutcome {
  const fresh = prepared(env.db, 'markEventProcessed', (d) =>
    d.insert(processedEvents).values({ inboxId: bind('inboxId'), eventId: bind('eventId'), processedAt: bind('at') }).onConflictDoNothing().prepare(),
  ).run({ inboxId: event.inboxId, eventId: event.eventId, at: env.now().getTime() });
  if (fresh.changes === 0) return 'duplicate';
  const inbox = inboxInfo(env.db, event.inboxId);
  if (!inbox) return 'ignored';
  recordInbound(
    env.db,
    { orgId: inbox.orgId, inboxId: event.inboxId, customerId: event.customerId },
    { at: event.receivedAt ?? env.now().getTime(), ...(event.name ? { name: event.name } : {}), ...(event.channelData ? { channelData: event.channelData } : {}) },
  );
  const active = activeRun(env.db, inbox.orgId, event.inboxId, event.customerId);

  const keywordFlow = findTrigger(env.db, inbox.orgId, event.text, { allowDefault: false });
  if (keywordFlow) {
    // SPEC §3.4: a keyword starts a new run and ends the one that was waiting.
    if (active) cancelRun(env, active, 'replaced_by_keyword');
    startRun(env, keywordFlow, { orgId: inbox.orgId, inboxId: event.inboxId, channel: inbox.channel as Channel, customerId: event.customerId });
    return 'started';
  }
  if (active?.status === 'waiting' && active.waitingFor === 'reply') {
    return resumeRun(env, active, compiledFlow(env.db, active.flowId, active.version), { kind: 'reply', text: event.text }) ? 'applied' : 'ignored';
  }
  // Waiting at a coupon offer: the offer stays valid and other messages are ignored.
  if (active) return 'ignored';
  const defaultFlow = findTrigger(env.db, inbox.orgId, event.text, { allowDefault: true });
  if (!defaultFlow) return 'ignored';
  startRun(env, defaultFlow, { orgId: inbox.orgId, inboxId: event.inboxId, channel: inbox.channel as Channel, customerId: event.customerId });
  return 'started';
}

function applyBroadcastStart(env: StepEnv, event: Extract<ContactEvent, { type: 'broadcast' }>): EventOutcome {
  const already = prepared(env.db, 'broadcastRun', (d) =>
    d.select({ id: flowRuns.id }).from(flowRuns).where(and(eq(flowRuns.broadcastId, bind('broadcastId')), eq(flowRuns.customerId, bind('customerId')))).prepare(),
  ).get({ broadcastId: event.broadcastId, customerId: event.customerId });
  if (already) return 'skipped';
  const inbox = inboxInfo(env.db, event.inboxId);
  if (!inbox) return 'failed';
  const active = activeRun(env.db, inbox.orgId, event.inboxId, event.customerId);
  if (active) cancelRun(env, active, 'replaced_by_broadcast');
  const flow = compiledFlow(env.db, event.flowId, event.version);
  startRun(env, flow, { orgId: inbox.orgId, inboxId: event.inboxId, channel: inbox.channel as Channel, customerId: event.customerId }, event.broadcastId);
  return 'started';
}

function resumeWaiting(env: StepEnv, runId: string, nodeId: string, waitingFor: 'reply' | 'redemption', resume: Parameters<typeof resumeRun>[3]): EventOutcome {
  const run = loadRun(env.db, runId);
  if (!run || run.status !== 'waiting' || run.currentNodeId !== nodeId || run.waitingFor !== waitingFor) return 'ignored';
  return resumeRun(env, run, compiledFlow(env.db, run.flowId, run.version), resume) ? 'applied' : 'ignored';
}

function startRun(
  env: StepEnv,
  flow: CompiledFlow,
  contact: { orgId: string; inboxId: string; channel: Channel; customerId: string },
  broadcastId: string | null = null,
): RunRow {
  const now = env.now().getTime();
  const run = prepared(env.db, 'insertRun', (d) =>
    d
      .insert(flowRuns)
      .values({
        id: bind('id'),
        orgId: bind('orgId'),
        inboxId: bind('inboxId'),
        channel: bind('channel'),
        customerId: bind('customerId'),
        flowId: bind('flowId'),
        version: bind('version'),
        status: 'running',
        currentNodeId: bind('currentNodeId'),
        vars: {},
        broadcastId: bind('broadcastId'),
        startedAt: bind('now'),
        updatedAt: bind('now'),
      })
      .returning()
      .prepare(),
  ).get({ id: newId('run'), ...contact, flowId: flow.flowId, version: flow.version, currentNodeId: flow.start.id, broadcastId, now })!;
  walkFrom(env, run, flow, flow.start);
  return run;
}

function cancelRun(env: StepEnv, run: RunRow, reason: string): void {
  const now = env.now();
  Object.assign(run, { status: 'cancelled', waitingFor: null, endReason: reason, endedAt: now });
  saveRun(env.db, run, now);
}

export const loadRun = (db: Database, runId: string) =>
  prepared(db, 'loadRun', (d) => d.select().from(flowRuns).where(eq(flowRuns.id, bind('id'))).prepare()).get({ id: runId });
