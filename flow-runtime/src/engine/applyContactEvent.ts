import { and, desc, eq, inArray } from 'drizzle-orm';
import { flowRuns, newId, processedEvents, writeTransaction, type Channel, type Database } from '@couponflow/db';
import { compiledFlow, type CompiledFlow } from '../flows/compiledFlow';
import type { ContactEvent, EventOutcome } from './contactEvents';
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
    }
  });
}

function applyMessage(env: StepEnv, event: Extract<ContactEvent, { type: 'message' }>): EventOutcome {
  const fresh = env.db
    .insert(processedEvents)
    .values({ inboxId: event.inboxId, eventId: event.eventId, processedAt: env.now() })
    .onConflictDoNothing()
    .run();
  if (fresh.changes === 0) return 'duplicate';
  const inbox = inboxInfo(env.db, event.inboxId);
  if (!inbox) return 'ignored';
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
  const already = env.db
    .select({ id: flowRuns.id })
    .from(flowRuns)
    .where(and(eq(flowRuns.broadcastId, event.broadcastId), eq(flowRuns.customerId, event.customerId)))
    .get();
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
  const now = env.now();
  const run = env.db
    .insert(flowRuns)
    .values({
      id: newId('run'),
      ...contact,
      flowId: flow.flowId,
      version: flow.version,
      status: 'running',
      currentNodeId: flow.start.id,
      vars: {},
      broadcastId,
      startedAt: now,
      updatedAt: now,
    })
    .returning()
    .get();
  walkFrom(env, run, flow, flow.start);
  return run;
}

function cancelRun(env: StepEnv, run: RunRow, reason: string): void {
  const now = env.now();
  Object.assign(run, { status: 'cancelled', waitingFor: null, endReason: reason, endedAt: now });
  saveRun(env.db, run, now);
}

function activeRun(db: Database, orgId: string, inboxId: string, customerId: string): RunRow | undefined {
  return db
    .select()
    .from(flowRuns)
    .where(and(eq(flowRuns.orgId, orgId), eq(flowRuns.inboxId, inboxId), eq(flowRuns.customerId, customerId), inArray(flowRuns.status, ['running', 'waiting'])))
    .orderBy(desc(flowRuns.startedAt))
    .get();
}

const loadRun = (db: Database, runId: string) => db.select().from(flowRuns).where(eq(flowRuns.id, runId)).get();
