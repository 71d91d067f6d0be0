import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, count, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { DatabaseHandle } from '@couponflow/db';
import { openTestDatabase } from '@couponflow/db/testing';
import { startAppProcess, type AppProcess } from './support/appProcess';
import { freePort } from './support/npmStart';

/**
 * Issue 11: two server processes and two worker processes on one PostgreSQL and one Redis form
 * one instance, as they would on four hosts. A broadcast runs while visitors talk to the bot
 * through both servers, and one worker is killed with SIGKILL midway.
 */
const contacts = 2_000;
const inboundMessages = 200;
const adminKey = `cf_admin_${randomBytes(16).toString('hex')}`;
const processes: AppProcess[] = [];
let database: DatabaseHandle & { url: string };
let dataDir: string;

async function startProcess(role: 'server' | 'worker'): Promise<AppProcess> {
  const app = await startAppProcess(dataDir, await freePort(), {
    ROLE: role,
    DATABASE_URL: database.url,
    REDIS_URL: inject('redisUrl'),
    REDIS_PREFIX: prefix,
    SECRET_KEY: secretKey,
    ADMIN_API_KEY: adminKey,
    // Every visitor of the test comes from one loopback address.
    WEBCHAT_MESSAGES_PER_MINUTE: '0',
    RATE_LIMIT_FAILED_PER_MINUTE: '0',
  });
  processes.push(app);
  return app;
}
const prefix = `pgi${randomUUID()}`;
const secretKey = randomBytes(32).toString('hex');

async function call(app: AppProcess, key: string, method: string, path: string, json?: unknown) {
  const response = await fetch(`${app.url}${path}`, {
    method,
    headers: { ...(key ? { Authorization: `Bearer ${key}` } : {}), ...(json === undefined ? {} : { 'Content-Type': 'application/json' }), Accept: 'application/json' },
    body: json === undefined ? undefined : JSON.stringify(json),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

// Answers are read loosely: each step asserts the shape it expects.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function expectStatus(answer: Promise<{ status: number; body: any }>, status: number) {
  const { status: got, body } = await answer;
  if (got !== status) throw new Error(`expected ${status}, got ${got}: ${JSON.stringify(body)}`);
  return body;
}

async function until(what: string, condition: () => Promise<boolean>, pollMs = 100) {
  for (let waited = 0; waited < 300_000; waited += pollMs) {
    if (await condition()) return;
    await new Promise((r) => setTimeout(r, pollMs));
  }
  throw new Error(`timed out waiting until ${what}`);
}

beforeAll(async () => {
  database = await openTestDatabase('postgres', inject('postgresUrl'));
  dataDir = mkdtempSync(join(tmpdir(), 'couponflow-pg-instance-'));
});

afterAll(async () => {
  for (const app of processes) if (app.child.exitCode === null) app.kill('SIGKILL');
  await Promise.all(processes.map((app) => app.exited));
  await database?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('two servers and two workers on one PostgreSQL and one Redis', () => {
  it('serve one instance: a broadcast and chat through both servers, a worker killed midway, every contact handled exactly once', { timeout: 600_000 }, async () => {
    const [serverA, serverB, worker1] = await Promise.all([startProcess('server'), startProcess('server'), startProcess('worker'), startProcess('worker')]);
    const { db } = database;
    const { webchatMessages, redemptionRecords, flowRuns, processedEvents } = db.tables;

    // What one server creates, the other sees: the organisation, its inbox, coupon and flows.
    const { apiKey: owner } = await expectStatus(call(serverA, adminKey, 'POST', '/api/v1/orgs', { name: 'Four-host shop' }), 201);
    const inbox = await expectStatus(call(serverB, owner, 'POST', '/api/v1/inboxes', { channel: 'webchat', name: 'Website', credentials: {} }), 201);
    const coupon = await expectStatus(
      call(serverA, owner, 'POST', '/api/v1/coupons', {
        name: 'Grand opening',
        code: { type: 'unique', length: 10 },
        activePeriod: { startsAt: '2020-01-01T00:00:00Z', endsAt: null },
        perCustomerLimit: 1,
      }),
      201,
    );
    await expectStatus(call(serverB, owner, 'POST', `/api/v1/coupons/${coupon.id}/codes`, { generate: contacts }), 201);
    const node = (id: string, type: string, data: object) => ({ id, type, position: { x: 0, y: 0 }, data });
    const broadcastFlow = await expectStatus(call(serverA, owner, 'POST', '/api/v1/flows', { name: 'Opening offer' }), 201);
    await expectStatus(
      call(serverB, owner, 'PUT', `/api/v1/flows/${broadcastFlow.id}/draft`, {
        nodes: [node('start', 'start', { trigger: { type: 'broadcast' } }), node('offer', 'distribute_coupon', { couponId: coupon.id, message: 'A gift', buttonTitle: 'Open' })],
        edges: [{ id: 'e1', source: 'start', sourceHandle: 'next', target: 'offer' }],
      }),
      200,
    );
    await expectStatus(call(serverA, owner, 'POST', `/api/v1/flows/${broadcastFlow.id}/publish`), 201);
    const chatFlow = await expectStatus(call(serverB, owner, 'POST', '/api/v1/flows', { name: 'Ping' }), 201);
    await expectStatus(
      call(serverA, owner, 'PUT', `/api/v1/flows/${chatFlow.id}/draft`, {
        nodes: [node('start', 'start', { trigger: { type: 'keyword', keywords: ['ping'] } }), node('pong', 'send_message', { text: 'pong' })],
        edges: [{ id: 'e1', source: 'start', sourceHandle: 'next', target: 'pong' }],
      }),
      200,
    );
    await expectStatus(call(serverB, owner, 'POST', `/api/v1/flows/${chatFlow.id}/publish`), 201);

    const customerIds = Array.from({ length: contacts }, (_, i) => `contact-${i}`);
    const broadcast = await expectStatus(call(serverB, owner, 'POST', `/api/v1/flows/${broadcastFlow.id}/broadcasts`, { inboxId: inbox.id, customerIds }), 202);

    const countWhere = async (table: typeof webchatMessages | typeof redemptionRecords | typeof processedEvents | typeof flowRuns, where?: ReturnType<typeof eq>) =>
      (await db.select({ n: count() }).from(table).where(where))[0]!.n;
    const offersDelivered = () => countWhere(webchatMessages, eq(webchatMessages.type, 'offer'));
    const pongsDelivered = () => countWhere(webchatMessages, eq(webchatMessages.text, 'pong'));

    // Each visitor message is posted to both servers at once with the same id (a client retrying
    // through the balancer): it must run once.
    const say = (i: number) =>
      Promise.all(
        [serverA, serverB].map((server) =>
          expectStatus(call(server, '', 'POST', `/api/v1/webchat/${inbox.id}/messages`, { contactId: `chatter-${i}`, text: 'ping', messageId: `m-${i}` }), 202),
        ),
      );
    let said = 0;
    for (; said < inboundMessages / 2; said++) await say(said);
    await until('a third of the offers are out', async () => (await offersDelivered()) >= contacts / 3, 20);
    worker1.kill('SIGKILL');
    await worker1.exited;
    console.log(`SIGKILL worker 1 at ${await offersDelivered()} offers delivered`);
    for (; said < inboundMessages; said++) await say(said);

    await until('every offer and reply is delivered', async () => (await offersDelivered()) >= contacts && (await pongsDelivered()) >= inboundMessages, 250);
    const twice = await db
      .select({ customerId: redemptionRecords.customerId, n: count() })
      .from(redemptionRecords)
      .groupBy(redemptionRecords.customerId)
      .having(sql`count(*) <> 1`);
    expect(twice).toEqual([]);
    expect(await countWhere(redemptionRecords)).toBe(contacts);
    const runs = await db
      .select({ status: flowRuns.status, n: count() })
      .from(flowRuns)
      .where(eq(flowRuns.broadcastId, broadcast.id))
      .groupBy(flowRuns.status);
    expect(runs).toEqual([{ status: 'waiting', n: contacts }]);
    expect(await countWhere(processedEvents)).toBe(inboundMessages);
    expect(await offersDelivered()).toBe(contacts);
    expect(await pongsDelivered()).toBe(inboundMessages);
    const progress = await expectStatus(call(serverA, owner, 'GET', `/api/v1/broadcasts/${broadcast.id}`), 200);
    expect(progress).toMatchObject({ total: contacts, started: contacts, failed: 0 });

    // Customers redeem through either server: each gets its own code and every run finishes.
    const records = await db.select({ token: redemptionRecords.token }).from(redemptionRecords);
    for (let i = 0; i < records.length; i += 20) {
      await Promise.all(
        records.slice(i, i + 20).map(({ token }, j) =>
          expectStatus(call((i + j) % 2 ? serverA : serverB, '', 'POST', `/r/${token}/redeem`), 200),
        ),
      );
    }
    await until('every run has finished', async () => (await countWhere(flowRuns, and(eq(flowRuns.broadcastId, broadcast.id), eq(flowRuns.status, 'completed'))!)) === contacts, 250);
    const codes = await db.select({ code: redemptionRecords.code }).from(redemptionRecords);
    expect(new Set(codes.map((c) => c.code)).size).toBe(contacts);
  });
});
