import { and, eq } from 'drizzle-orm';
import { addContactTag, contactTagList, offerState, removeContactTag } from '@couponflow/coupons';
import { bind, contacts, flowRuns, prepared, type Database } from '@couponflow/db';
import type { FlowNode } from '@couponflow/nodes';
import {
  executors,
  renderTemplate,
  type OutboundMessage,
  type ResumeEvent,
  type ResumeResult,
  type ScheduledCheck,
  type StepContext,
  type StepResult,
} from '@couponflow/nodes/executors';
import type { CompiledFlow } from '../flows/compiledFlow';
import { writeContactEvent, writeOutbox } from '../queues/writeOutbox';
import { couponsEnabled, type StepEnv } from './stepEnv';

export type RunRow = typeof flowRuns.$inferSelect;

/** Guards against a condition loop spinning forever inside one transaction. */
const maxStepsPerWalk = 200;

/** Runs `node` and walks on from it until the run waits or ends. Call inside a write transaction. */
export function walkFrom(env: StepEnv, run: RunRow, flow: CompiledFlow, node: FlowNode): void {
  const ctx = stepContext(env, run, node);
  follow(env, run, flow, node, execute(node, ctx));
}

/** Wakes a waiting run at its current node with `event`; false when that node does not take it. */
export function resumeRun(env: StepEnv, run: RunRow, flow: CompiledFlow, event: ResumeEvent): boolean {
  const node = run.currentNodeId ? flow.nodes.get(run.currentNodeId) : undefined;
  if (!node) return false;
  const executor = executors[node.type] as { resume?: (ctx: StepContext<FlowNode['type']>, e: ResumeEvent) => ResumeResult | null };
  const result = executor.resume?.(stepContext(env, run, node), event) ?? null;
  if (!result) return false;
  if (result.kind === 'stay') stay(env, run, node, result);
  else follow(env, run, flow, node, result);
  return true;
}

/** The run keeps the same wait (same serial, so its pending timeout and checks stay valid). */
function stay(env: StepEnv, run: RunRow, node: FlowNode, result: Extract<ResumeResult, { kind: 'stay' }>): void {
  const now = env.now();
  if (result.vars) run.vars = { ...run.vars, ...result.vars };
  writeChecks(env, run, node, result.checks ?? [], now);
  saveRun(env.db, run, now);
}

function writeChecks(env: StepEnv, run: RunRow, node: FlowNode, checks: ScheduledCheck[], now: Date): void {
  for (const { check, at } of checks) {
    const event = { type: 'check', inboxId: run.inboxId, customerId: run.customerId, runId: run.id, nodeId: node.id, waitSerial: run.waitSerial, check, dueAt: at.getTime() } as const;
    writeContactEvent(env.db, run.orgId, event, { dueAt: at, now });
  }
}

function follow(env: StepEnv, run: RunRow, flow: CompiledFlow, from: FlowNode, first: StepResult): void {
  let node = from;
  let result = first;
  for (let steps = 0; ; steps++) {
    recordStep(run, node.id, result.kind === 'continue' ? result.port : null);
    if (result.kind === 'end') return finish(env, run, 'completed', 'end');
    if (result.vars) run.vars = { ...run.vars, ...result.vars };
    if (result.kind === 'wait') return wait(env, run, node, result);
    const target = flow.next(node.id, result.port);
    // SPEC §3.3: an outcome with no edge ends the run.
    if (!target) return finish(env, run, 'completed', `no_edge:${node.id}:${result.port}`);
    if (steps >= maxStepsPerWalk) return finish(env, run, 'failed', 'step_limit');
    node = target;
    run.currentNodeId = node.id;
    result = execute(node, stepContext(env, run, node));
  }
}

/** Appends the node to the run's path, or fills in the port of the node it was waiting at. */
function recordStep(run: RunRow, nodeId: string, port: string | null): void {
  const last = run.path.at(-1);
  if (last && last.nodeId === nodeId && last.port === null) last.port = port;
  else run.path = [...run.path, { nodeId, port }];
}

function execute(node: FlowNode, ctx: StepContext<FlowNode['type']>): StepResult {
  const executor = executors[node.type] as { execute: (c: typeof ctx) => StepResult };
  return executor.execute(ctx);
}

function wait(env: StepEnv, run: RunRow, node: FlowNode, result: Extract<StepResult, { kind: 'wait' }>): void {
  const now = env.now();
  run.status = 'waiting';
  run.currentNodeId = node.id;
  run.waitingFor = result.waitingFor;
  run.waitSerial += 1;
  if (result.timeoutSeconds) {
    const dueAt = new Date(now.getTime() + result.timeoutSeconds * 1000);
    const timeout = { type: 'timeout', inboxId: run.inboxId, customerId: run.customerId, runId: run.id, nodeId: node.id, waitSerial: run.waitSerial } as const;
    writeContactEvent(env.db, run.orgId, timeout, { dueAt, now });
  }
  writeChecks(env, run, node, result.checks ?? [], now);
  saveRun(env.db, run, now);
}

function finish(env: StepEnv, run: RunRow, status: 'completed' | 'failed', reason: string): void {
  const now = env.now();
  run.status = status;
  run.waitingFor = null;
  run.endReason = reason;
  run.endedAt = now;
  saveRun(env.db, run, now);
}

export function saveRun(db: Database, run: RunRow, now: Date): void {
  run.updatedAt = now;
  prepared(db, 'saveRun', (d) =>
    d
      .update(flowRuns)
      .set({
        status: bind('status'),
        currentNodeId: bind('currentNodeId'),
        waitingFor: bind('waitingFor'),
        waitSerial: bind('waitSerial'),
        vars: bind('vars'),
        path: bind('path'),
        endReason: bind('endReason'),
        endedAt: bind('endedAt'),
        updatedAt: bind('updatedAt'),
      })
      .where(eq(flowRuns.id, bind('id')))
      .prepare(),
  ).run({
    status: run.status,
    currentNodeId: run.currentNodeId,
    waitingFor: run.waitingFor,
    waitSerial: run.waitSerial,
    vars: JSON.stringify(run.vars),
    path: JSON.stringify(run.path),
    endReason: run.endReason,
    endedAt: run.endedAt?.getTime() ?? null,
    updatedAt: now.getTime(),
    id: run.id,
  });
}

function stepContext<T extends FlowNode['type']>(env: StepEnv, run: RunRow, node: FlowNode & { type: T }): StepContext<T> {
  const contact = { orgId: run.orgId, inboxId: run.inboxId, customerId: run.customerId };
  const tags = () => contactTagList(env.db, contact);
  const attributes = () => contactAttributes(env.db, contact);
  return {
    node: { id: node.id, data: node.data as StepContext<T>['node']['data'] },
    run: { id: run.id, orgId: run.orgId, inboxId: run.inboxId, channel: run.channel, customerId: run.customerId, vars: run.vars },
    services: {
      coupons: env.coupons,
      couponsEnabled: () => couponsEnabled(env.db, run.orgId),
      redeemUrl: (token) => `${env.publicUrl}/r/${token}`,
      send: (message: OutboundMessage, options) => queueMessage(env, run, node.id, message, options?.refusalWakesRun ?? true),
      offerState: (recordId, at) => offerState(env.db, run.orgId, recordId, at),
      now: env.now,
      contactTags: tags,
      contactAttributes: attributes,
      addTag: (tag) => addContactTag(env.db, contact, tag, env.now()),
      removeTag: (tag) => removeContactTag(env.db, contact, tag),
    },
    render: (template) => renderTemplate(template, { vars: run.vars, customerId: run.customerId, tags, attributes }),
  };
}

/** A message whose refusal must not wake the run is queued without the run (the outbound worker wakes the run it names). */
function queueMessage(env: StepEnv, run: RunRow, nodeId: string, message: OutboundMessage, refusalWakesRun: boolean): void {
  const { orgId, inboxId, customerId } = run;
  const owner = refusalWakesRun ? { runId: run.id, nodeId } : { runId: null, nodeId: null };
  writeOutbox(env.db, { kind: 'message', orgId, inboxId, customerId, ...owner, payload: message, dueAt: null, now: env.now() });
}

function contactAttributes(db: Database, key: { orgId: string; inboxId: string; customerId: string }): Record<string, string> {
  const row = prepared(db, 'contactAttributes', (d) =>
    d
      .select({ attributes: contacts.attributes })
      .from(contacts)
      .where(and(eq(contacts.orgId, bind('orgId')), eq(contacts.inboxId, bind('inboxId')), eq(contacts.customerId, bind('customerId'))))
      .prepare(),
  ).get(key);
  return row?.attributes ?? {};
}
