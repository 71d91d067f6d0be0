import { and, eq } from 'drizzle-orm';
import { addContactTag, contactTagList, offerState, removeContactTag, type CouponEngine } from '@couponflow/coupons';
import { bind, prepared, type Database, type flowRuns } from '@couponflow/db';
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
import { contactState } from '../channels/contactChannelState';
import type { CompiledFlow } from '../flows/compiledFlow';
import { writeContactEvent, writeOutbox } from '../queues/writeOutbox';
import { couponsIn } from './couponsIn';
import { couponsEnabled, type StepEnv } from './stepEnv';

export type RunRow = typeof flowRuns.$inferSelect;

/** Guards against a condition loop spinning forever inside one transaction. */
const maxStepsPerWalk = 200;

/** Runs `node` and walks on from it until the run waits or ends. Call inside a write transaction (`env.db` is it). */
export async function walkFrom(env: StepEnv, run: RunRow, flow: CompiledFlow, node: FlowNode): Promise<void> {
  const ctx = stepContext(env, run, node);
  await follow(env, run, flow, node, await execute(node, ctx));
}

/** Wakes a waiting run at its current node with `event`; false when that node does not take it. */
export async function resumeRun(env: StepEnv, run: RunRow, flow: CompiledFlow, event: ResumeEvent): Promise<boolean> {
  const node = run.currentNodeId ? flow.nodes.get(run.currentNodeId) : undefined;
  if (!node) return false;
  const executor = executors[node.type] as { resume?: (ctx: StepContext<FlowNode['type']>, e: ResumeEvent) => ResumeResult | null | Promise<ResumeResult | null> };
  const result = (await executor.resume?.(stepContext(env, run, node), event)) ?? null;
  if (!result) return false;
  if (result.kind === 'stay') await stay(env, run, node, result);
  else await follow(env, run, flow, node, result);
  return true;
}

/** The run keeps the same wait (same serial, so its pending timeout and checks stay valid). */
async function stay(env: StepEnv, run: RunRow, node: FlowNode, result: Extract<ResumeResult, { kind: 'stay' }>): Promise<void> {
  const now = env.now();
  if (result.vars) run.vars = { ...run.vars, ...result.vars };
  await writeChecks(env, run, node, result.checks ?? [], now);
  await saveRun(env.db, run, now);
}

async function writeChecks(env: StepEnv, run: RunRow, node: FlowNode, checks: ScheduledCheck[], now: Date): Promise<void> {
  for (const { check, at } of checks) {
    const event = { type: 'check', inboxId: run.inboxId, customerId: run.customerId, runId: run.id, nodeId: node.id, waitSerial: run.waitSerial, check, dueAt: at.getTime() } as const;
    await writeContactEvent(env.db, run.orgId, event, { dueAt: at, now });
  }
}

async function follow(env: StepEnv, run: RunRow, flow: CompiledFlow, from: FlowNode, first: StepResult): Promise<void> {
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
    result = await execute(node, stepContext(env, run, node));
  }
}

/** Appends the node to the run's path, or fills in the port of the node it was waiting at. */
function recordStep(run: RunRow, nodeId: string, port: string | null): void {
  const last = run.path.at(-1);
  if (last && last.nodeId === nodeId && last.port === null) last.port = port;
  else run.path = [...run.path, { nodeId, port }];
}

function execute(node: FlowNode, ctx: StepContext<FlowNode['type']>): StepResult | Promise<StepResult> {
  const executor = executors[node.type] as { execute: (c: typeof ctx) => StepResult | Promise<StepResult> };
  return executor.execute(ctx);
}

async function wait(env: StepEnv, run: RunRow, node: FlowNode, result: Extract<StepResult, { kind: 'wait' }>): Promise<void> {
  const now = env.now();
  run.status = 'waiting';
  run.currentNodeId = node.id;
  run.waitingFor = result.waitingFor;
  run.waitSerial += 1;
  if (result.timeoutSeconds) {
    const dueAt = new Date(now.getTime() + result.timeoutSeconds * 1000);
    const timeout = { type: 'timeout', inboxId: run.inboxId, customerId: run.customerId, runId: run.id, nodeId: node.id, waitSerial: run.waitSerial } as const;
    await writeContactEvent(env.db, run.orgId, timeout, { dueAt, now });
  }
  await writeChecks(env, run, node, result.checks ?? [], now);
  await saveRun(env.db, run, now);
}

async function finish(env: StepEnv, run: RunRow, status: 'completed' | 'failed', reason: string): Promise<void> {
  const now = env.now();
  run.status = status;
  run.waitingFor = null;
  run.endReason = reason;
  run.endedAt = now;
  await saveRun(env.db, run, now);
}

export async function saveRun(db: Database, run: RunRow, now: Date): Promise<void> {
  run.updatedAt = now;
  await prepared(db, 'saveRun', (d, { flowRuns }) =>
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
      .where(eq(flowRuns.id, bind('id'))),
  ).run({
    status: run.status,
    currentNodeId: run.currentNodeId,
    waitingFor: run.waitingFor,
    waitSerial: run.waitSerial,
    vars: JSON.stringify(run.vars),
    path: JSON.stringify(run.path),
    endReason: run.endReason,
    endedAt: run.endedAt,
    updatedAt: now,
    id: run.id,
  });
}

function stepContext<T extends FlowNode['type']>(env: StepEnv, run: RunRow, node: FlowNode & { type: T }): StepContext<T> {
  const contact = { orgId: run.orgId, inboxId: run.inboxId, customerId: run.customerId };
  const tags = async () => contactTagList(env.db, contact);
  const attributes = () => contactAttributes(env.db, contact);
  // Made for the blocks that hand out coupons only.
  let coupons: CouponEngine | undefined;
  return {
    node: { id: node.id, data: node.data as StepContext<T>['node']['data'] },
    run: { id: run.id, orgId: run.orgId, inboxId: run.inboxId, channel: run.channel, customerId: run.customerId, vars: run.vars },
    services: {
      get coupons() {
        return (coupons ??= couponsIn(env));
      },
      couponsEnabled: () => couponsEnabled(env.db, run.orgId),
      redeemUrl: (token) => `${env.publicUrl}/r/${token}`,
      send: (message: OutboundMessage, options) => queueMessage(env, run, node.id, message, options?.refusalWakesRun ?? true),
      offerState: async (recordId, at) => offerState(env.db, run.orgId, recordId, at),
      now: env.now,
      contactTags: tags,
      contactAttributes: attributes,
      addTag: async (tag) => addContactTag(env.db, contact, tag, env.now()),
      removeTag: async (tag) => removeContactTag(env.db, contact, tag),
    },
    render: async (template) => {
      // Contact fields cost queries: read only those the template names.
      const fields = new Set([...template.matchAll(/\{\{\s*contact\.([a-zA-Z0-9_]+)\s*\}\}/g)].map((m) => m[1]!));
      if (fields.size === 0) return renderTemplate(template, { vars: run.vars, customerId: run.customerId, tags: () => [] });
      const [name, tagList, attributeMap] = await Promise.all([
        fields.has('name') ? contactVars(env.db, run) : {},
        fields.has('tags') ? tags() : [],
        [...fields].some((f) => !['id', 'customerId', 'tags'].includes(f)) ? attributes() : {},
      ]);
      return renderTemplate(template, { vars: { ...run.vars, ...name }, customerId: run.customerId, tags: () => tagList, attributes: () => attributeMap });
    },
  };
}

/** `{{contact.name}}`: the display name the platform gave us. */
async function contactVars(db: Database, run: RunRow): Promise<Record<string, string>> {
  const name = (await contactState(db, run.orgId, run.inboxId, run.customerId))?.name;
  return name ? { 'contact.name': name } : {};
}

/** A message whose refusal must not wake the run is queued without the run (the outbound worker wakes the run it names). */
function queueMessage(env: StepEnv, run: RunRow, nodeId: string, message: OutboundMessage, refusalWakesRun: boolean): Promise<void> {
  const { orgId, inboxId, customerId } = run;
  const owner = refusalWakesRun ? { runId: run.id, nodeId } : { runId: null, nodeId: null };
  return writeOutbox(env.db, { kind: 'message', orgId, inboxId, customerId, ...owner, payload: message, dueAt: null, now: env.now() });
}

async function contactAttributes(db: Database, key: { orgId: string; inboxId: string; customerId: string }): Promise<Record<string, string>> {
  const row = await prepared(db, 'contactAttributes', (d, { contacts }) =>
    d
      .select({ attributes: contacts.attributes })
      .from(contacts)
      .where(and(eq(contacts.orgId, bind('orgId')), eq(contacts.inboxId, bind('inboxId')), eq(contacts.customerId, bind('customerId')))),
  ).get(key);
  return row?.attributes ?? {};
}
