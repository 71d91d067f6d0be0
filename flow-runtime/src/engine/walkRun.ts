import { eq } from 'drizzle-orm';
import { addContactTag, contactTagList, removeContactTag } from '@couponflow/coupons';
import { bind, flowRuns, outbox, prepared, type Database } from '@couponflow/db';
import type { FlowNode } from '@couponflow/nodes';
import { executors, renderTemplate, type OutboundMessage, type ResumeEvent, type StepContext, type StepResult } from '@couponflow/nodes/executors';
import { contactState } from '../channels/contactChannelState';
import type { CompiledFlow } from '../flows/compiledFlow';
import type { StepEnv } from './stepEnv';

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
  const executor = executors[node.type] as { resume?: (ctx: StepContext<FlowNode['type']>, e: ResumeEvent) => StepResult | null };
  const result = executor.resume?.(stepContext(env, run, node), event) ?? null;
  if (!result) return false;
  follow(env, run, flow, node, result);
  return true;
}

function follow(env: StepEnv, run: RunRow, flow: CompiledFlow, from: FlowNode, first: StepResult): void {
  let node = from;
  let result = first;
  for (let steps = 0; ; steps++) {
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
    insertOutbox(env.db, { kind: 'timeout', run, nodeId: node.id, payload: { waitSerial: run.waitSerial }, dueAt, now });
  }
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
    endReason: run.endReason,
    endedAt: run.endedAt?.getTime() ?? null,
    updatedAt: now.getTime(),
    id: run.id,
  });
}

/** Queues work for after the step commits (see the outbox table). */
function insertOutbox(
  db: Database,
  row: { kind: 'message' | 'timeout'; run: RunRow; nodeId: string; payload: unknown; dueAt: Date | null; now: Date },
): void {
  prepared(db, 'insertOutbox', (d) =>
    d
      .insert(outbox)
      .values({
        kind: bind('kind'),
        orgId: bind('orgId'),
        inboxId: bind('inboxId'),
        customerId: bind('customerId'),
        runId: bind('runId'),
        nodeId: bind('nodeId'),
        payload: bind('payload'),
        dueAt: bind('dueAt'),
        createdAt: bind('createdAt'),
      })
      .prepare(),
  ).run({
    kind: row.kind,
    orgId: row.run.orgId,
    inboxId: row.run.inboxId,
    customerId: row.run.customerId,
    runId: row.run.id,
    nodeId: row.nodeId,
    payload: JSON.stringify(row.payload),
    dueAt: row.dueAt?.getTime() ?? null,
    createdAt: row.now.getTime(),
  });
}

function stepContext<T extends FlowNode['type']>(env: StepEnv, run: RunRow, node: FlowNode & { type: T }): StepContext<T> {
  const contact = { orgId: run.orgId, inboxId: run.inboxId, customerId: run.customerId };
  const tags = () => contactTagList(env.db, contact);
  return {
    node: { id: node.id, data: node.data as StepContext<T>['node']['data'] },
    run: { id: run.id, orgId: run.orgId, inboxId: run.inboxId, channel: run.channel, customerId: run.customerId, vars: run.vars },
    services: {
      coupons: env.coupons,
      redeemUrl: (token) => `${env.publicUrl}/r/${token}`,
      send: (message: OutboundMessage) => queueMessage(env, run, node.id, message),
      contactTags: tags,
      addTag: (tag) => addContactTag(env.db, contact, tag, env.now()),
      removeTag: (tag) => removeContactTag(env.db, contact, tag),
    },
    render: (template) => renderTemplate(template, { vars: template.includes('contact.') ? { ...run.vars, ...contactVars(env.db, run) } : run.vars, customerId: run.customerId, tags }),
  };
}

/** `{{contact.name}}`: the display name the platform gave us. */
function contactVars(db: Database, run: RunRow): Record<string, string> {
  const name = contactState(db, run.orgId, run.inboxId, run.customerId)?.name;
  return name ? { 'contact.name': name } : {};
}

function queueMessage(env: StepEnv, run: RunRow, nodeId: string, message: OutboundMessage): void {
  insertOutbox(env.db, { kind: 'message', run, nodeId, payload: message, dueAt: null, now: env.now() });
}
