import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { count, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { createCouponEngine } from '@couponflow/coupons';
import { connectDatabase, credentialCipher, keyFromSecret, newId, writeTransaction, type Database } from '@couponflow/db';
import { createFlow, createInbox, createRuntime, publishFlow, saveDraft, type Runtime } from '@couponflow/flow-runtime';
import '../server/src/testing/providedContext';

const repo = resolve(import.meta.dirname, '..');
const contacts = 10_000;
const kills = 5;
const inboundMessages = 300;
let dir: string;
let db: Database;
let closeDb: () => Promise<void>;
let runtime: Runtime;
const prefix = `crash${randomUUID()}`;
const workers: ChildProcess[] = [];
// The worker processes open inbox credentials with the same instance key.
const secretKey = randomBytes(32).toString('hex');
const cipher = credentialCipher(keyFromSecret(secretKey));

/** A separate worker process (ROLE=worker), as production runs it. */
function startWorker(): ChildProcess {
  const worker = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    cwd: repo,
    env: { ...process.env, ROLE: 'worker', DATA_DIR: dir, REDIS_URL: inject('redisUrl'), REDIS_PREFIX: prefix, SECRET_KEY: secretKey, PUBLIC_URL: 'http://couponflow.test', LOG_LEVEL: 'warn' },
    stdio: 'inherit',
  });
  workers.push(worker);
  return worker;
}

async function until(what: string, condition: () => Promise<boolean>, pollMs = 20) {
  for (let waited = 0; waited < 240_000; waited += pollMs) {
    if (await condition()) return;
    await new Promise((r) => setTimeout(r, pollMs));
  }
  throw new Error(`timed out waiting until ${what}`);
}

const countOf = async (query: Promise<Array<{ n: number }>>) => (await query)[0]?.n ?? 0;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'couponflow-crash-'));
  ({ db, close: closeDb } = await connectDatabase({ url: `file:${join(dir, 'couponflow.db')}` }));
  runtime = await createRuntime({ db, coupons: (stepDb) => createCouponEngine({ db: stepDb }), redisUrl: inject('redisUrl'), publicUrl: 'http://couponflow.test', prefix, cipher });
});

afterAll(async () => {
  for (const worker of workers) if (worker.exitCode === null) worker.kill('SIGKILL');
  await runtime.close();
  await closeDb();
  rmSync(dir, { recursive: true, force: true });
});

describe('a worker killed at random points of a broadcast, five times', () => {
  it('loses no accepted event, issues no second coupon, sends no offer twice, and finishes every contact', { timeout: 400_000 }, async () => {
    const { flowRuns, organisations, processedEvents, redemptionRecords, webchatMessages } = db.tables;
    const orgId = newId('org');
    await db.insert(organisations).values({ id: orgId, name: 'Crash shop', features: { coupons: true }, createdAt: new Date() });
    const inbox = await createInbox(db, cipher, orgId, { channel: 'webchat', name: 'Web', credentials: {} });
    const coupon = await createCouponEngine({ db }).createCoupon(orgId, {
      name: 'Crash coupon',
      code: { type: 'unique', length: 10 },
      activePeriod: { startsAt: '2020-01-01T00:00:00Z', endsAt: null },
      perCustomerLimit: 1,
    });
    if (!coupon.ok) throw new Error(coupon.message);
    await createCouponEngine({ db }).generateCodes(orgId, coupon.value.id, contacts);
    const node = (id: string, type: string, data: Record<string, unknown>) => ({ id, type, position: { x: 0, y: 0 }, data });
    const broadcastFlow = await createFlow(db, orgId, 'Broadcast');
    await saveDraft(db, orgId, broadcastFlow.id, {
      nodes: [node('start', 'start', { trigger: { type: 'broadcast' } }), node('offer', 'distribute_coupon', { couponId: coupon.value.id, message: 'A gift', buttonTitle: 'Open' })],
      edges: [{ id: 'e1', source: 'start', sourceHandle: 'next', target: 'offer' }],
    });
    expect(await publishFlow(db, orgId, broadcastFlow.id)).toEqual({ ok: true, version: 1 });
    const chatFlow = await createFlow(db, orgId, 'Chat');
    await saveDraft(db, orgId, chatFlow.id, {
      nodes: [node('start', 'start', { trigger: { type: 'keyword', keywords: ['ping'] } }), node('pong', 'send_message', { text: 'pong' })],
      edges: [{ id: 'e1', source: 'start', sourceHandle: 'next', target: 'pong' }],
    });
    await publishFlow(db, orgId, chatFlow.id);

    let worker = startWorker();
    const customerIds = Array.from({ length: contacts }, (_, i) => `contact-${i}`);
    const started = await runtime.startBroadcast({ orgId, flowId: broadcastFlow.id, inboxId: inbox.id, customerIds });
    if (!started.ok) throw new Error(started.reason);
    const offersDelivered = () => countOf(db.select({ n: count() }).from(webchatMessages).where(eq(webchatMessages.type, 'offer')));
    const runsSoFar = () => countOf(db.select({ n: count() }).from(flowRuns).where(eq(flowRuns.broadcastId, started.id)));

    // Kill points drawn from a seeded generator over the whole way: runs starting, then offers going out.
    const random = seeded(20261122);
    const progress = async () => (await runsSoFar()) + (await offersDelivered());
    const killPoints = Array.from({ length: kills }, () => Math.floor(2 * contacts * (0.05 + 0.9 * random()))).sort((a, b) => a - b);
    let sent = 0;
    const inboundBatch = inboundMessages / (kills + 1);
    for (const point of killPoints) {
      // Inbound messages accepted (queued) before and between the crashes.
      for (const end = sent + inboundBatch; sent < end; sent++)
        await runtime.acceptMessage({ inboxId: inbox.id, customerId: `chatter-${sent}`, eventId: `evt-${sent}`, text: 'ping' });
      await until(`progress ${point}`, async () => (await progress()) >= point, 2);
      worker.kill('SIGKILL');
      await new Promise((r) => worker.once('exit', r));
      console.log(`SIGKILL at ${await runsSoFar()} runs started, ${await offersDelivered()} offers delivered (aimed at ${point} steps of ${2 * contacts})`);
      worker = startWorker();
    }
    for (; sent < inboundMessages; sent++) await runtime.acceptMessage({ inboxId: inbox.id, customerId: `chatter-${sent}`, eventId: `evt-${sent}`, text: 'ping' });

    const pongsDelivered = () => countOf(db.select({ n: count() }).from(webchatMessages).where(eq(webchatMessages.text, 'pong')));
    await until('every offer and reply is delivered', async () => (await offersDelivered()) >= contacts && (await pongsDelivered()) >= inboundMessages, 200);

    const perContact = await db
      .select({ customerId: redemptionRecords.customerId, n: count() })
      .from(redemptionRecords)
      .groupBy(redemptionRecords.customerId)
      .having(sql`count(*) <> 1`);
    expect(perContact).toEqual([]);
    expect(await countOf(db.select({ n: count() }).from(redemptionRecords))).toBe(contacts);
    const runs = await db.select({ status: flowRuns.status, n: count() }).from(flowRuns).where(eq(flowRuns.broadcastId, started.id)).groupBy(flowRuns.status);
    expect(runs).toEqual([{ status: 'waiting', n: contacts }]);
    expect(await countOf(db.select({ n: count() }).from(processedEvents))).toBe(inboundMessages);
    expect(await offersDelivered()).toBe(contacts);
    expect(await pongsDelivered()).toBe(inboundMessages);

    // Every customer redeems on the page: each run finishes, still exactly one record each.
    const records = await db.select().from(redemptionRecords);
    for (const record of records) {
      await writeTransaction(db, async (tx) => {
        const redeemed = await createCouponEngine({ db: tx }).redeem(record.token);
        if (!redeemed.ok) throw new Error(redeemed.reason);
        await runtime.writeRedemptionOutcome(redeemed.value.record, 'redeemed', redeemed.value.code, tx);
      });
    }
    const finished = () =>
      countOf(db.select({ n: count() }).from(flowRuns).where(sql`${flowRuns.broadcastId} = ${started.id} and ${flowRuns.status} = 'completed'`));
    await until('every run has finished', async () => (await finished()) === contacts, 200);
    const codes = await db.select({ code: redemptionRecords.code }).from(redemptionRecords);
    expect(new Set(codes.map((c) => c.code)).size).toBe(contacts);
  });
});

/** mulberry32: the same kill points on every run. */
function seeded(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
