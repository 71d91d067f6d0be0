import { eq } from 'drizzle-orm';
import { bind, prepared, type Database, type flowRuns } from '@couponflow/db';
import type { FlowNode } from '@couponflow/nodes';
import { executors, type ResumeEvent, type ResumeResult, type ScheduledCheck, type StepContext, type StepResult } from '@couponflow/nodes/executors';
import type { CompiledFlow } from '../flows/compiledFlow';
import { writeContactEvent } from '../queues/writeOutbox';
import { RunServices } from './runServices';
import type { StepEnv } from './stepEnv';

export type RunRow = typeof flowRuns.$inferSelect;

/** Guards against a condition loop spinning forever inside one transaction. */
const maxStepsPerWalk = 200;

/**
 * Runs `node` and walks on from it until the run waits or ends, and stores the run there. Call inside
 * a write transaction (`env.db` is it). `stored: false`: the run is new (`newRun`) and inserted then.
 */
export async function walkFrom(env: StepEnv, run: RunRow, flow: CompiledFlow, node: FlowNode, { stored = true } = {}): Promise<void> {
  const ctx = stepContext(env, run, node);
  await follow(env, run, flow, node, await execute(node, ctx), stored);
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

async function follow(env: StepEnv, run: RunRow, flow: CompiledFlow, from: FlowNode, first: StepResult, stored = true): Promise<void> {
  let node = from;
  let result = first;
  for (let steps = 0; ; steps++) {
    recordStep(run, node.id, result.kind === 'continue' ? result.port : null);
    if (result.kind === 'end') return finish(env, run, 'completed', 'end', stored);
    if (result.vars) run.vars = { ...run.vars, ...result.vars };
    if (result.kind === 'wait') return wait(env, run, node, result, stored);
    const target = flow.next(node.id, result.port);
    // SPEC §3.3: an outcome with no edge ends the run.
    if (!target) return finish(env, run, 'completed', `no_edge:${node.id}:${result.port}`, stored);
    if (steps >= maxStepsPerWalk) return finish(env, run, 'failed', 'step_limit', stored);
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

async function wait(env: StepEnv, run: RunRow, node: FlowNode, result: Extract<StepResult, { kind: 'wait' }>, stored: boolean): Promise<void> {
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
  await saveRun(env.db, run, now, stored);
}

async function finish(env: StepEnv, run: RunRow, status: 'completed' | 'failed', reason: string, stored: boolean): Promise<void> {
  const now = env.now();
  run.status = status;
  run.waitingFor = null;
  run.endReason = reason;
  run.endedAt = now;
  await saveRun(env.db, run, now, stored);
}

/**
 * A new run, kept in memory while its first walk runs (`walkFrom(…, { stored: false })` next, in the
 * same transaction): the walk's end (a wait or the run's end) inserts it once, in its final state,
 * instead of an insert followed by an update.
 */
export function newRun(f: Pick<RunRow, 'id' | 'orgId' | 'inboxId' | 'channel' | 'customerId' | 'flowId' | 'version' | 'currentNodeId' | 'broadcastId'>, now: Date): RunRow {
  // Spelled out in the table's column order: one object shape for every run.
  return {
    id: f.id,
    orgId: f.orgId,
    flowId: f.flowId,
    version: f.version,
    inboxId: f.inboxId,
    channel: f.channel,
    customerId: f.customerId,
    status: 'running',
    currentNodeId: f.currentNodeId,
    waitingFor: null,
    waitSerial: 0,
    vars: {},
    broadcastId: f.broadcastId,
    endReason: null,
    path: [],
    startedAt: now,
    updatedAt: now,
    endedAt: null,
  };
}

/** Stores the run's state: an update, or (`stored` false: a run made by `newRun`) its one insert. */
export async function saveRun(db: Database, run: RunRow, now: Date, stored = true): Promise<void> {
  run.updatedAt = now;
  if (!stored) return insertRun(db, run);
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

async function insertRun(db: Database, run: RunRow): Promise<void> {
  await prepared(db, 'insertRun', (d, { flowRuns }) =>
    d.insert(flowRuns).values({
      id: bind('id'),
      orgId: bind('orgId'),
      inboxId: bind('inboxId'),
      channel: bind('channel'),
      customerId: bind('customerId'),
      flowId: bind('flowId'),
      version: bind('version'),
      status: bind('status'),
      currentNodeId: bind('currentNodeId'),
      waitingFor: bind('waitingFor'),
      waitSerial: bind('waitSerial'),
      vars: bind('vars'),
      broadcastId: bind('broadcastId'),
      endReason: bind('endReason'),
      path: bind('path'),
      startedAt: bind('startedAt'),
      updatedAt: bind('updatedAt'),
      endedAt: bind('endedAt'),
    }),
  ).run({
    id: run.id,
    orgId: run.orgId,
    inboxId: run.inboxId,
    channel: run.channel,
    customerId: run.customerId,
    flowId: run.flowId,
    version: run.version,
    status: run.status,
    currentNodeId: run.currentNodeId,
    waitingFor: run.waitingFor,
    waitSerial: run.waitSerial,
    vars: JSON.stringify(run.vars),
    broadcastId: run.broadcastId,
    endReason: run.endReason,
    path: JSON.stringify(run.path),
    startedAt: run.startedAt,
    updatedAt: run.updatedAt,
    endedAt: run.endedAt,
  });
}

function stepContext<T extends FlowNode['type']>(env: StepEnv, run: RunRow, node: FlowNode & { type: T }): StepContext<T> {
  const services = new RunServices(env, run, node.id);
  return {
    node: { id: node.id, data: node.data as StepContext<T>['node']['data'] },
    run: { id: run.id, orgId: run.orgId, inboxId: run.inboxId, channel: run.channel, customerId: run.customerId, vars: run.vars },
    services,
    // bound, not an arrow: under tsx each arrow made per node also names itself (esbuild's keepNames), a visible cost per contact
    render: services.render.bind(services),
  };
}
