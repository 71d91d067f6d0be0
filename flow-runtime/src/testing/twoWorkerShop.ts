import { randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { expect, inject } from 'vitest';
import { createCouponEngine } from '@couponflow/coupons';
import { connectDatabase, credentialCipher, newId, type Database, type DatabaseDialect } from '@couponflow/db';
import { openTestDatabase } from '@couponflow/db/testing';
import type { FlowGraph } from '@couponflow/nodes';
import type { StepEnv } from '../engine/stepEnv';
import { createFlow, publishFlow } from '../flows/flowStore';
import { createInbox } from '../inboxes/inboxStore';

export type Cleanups = Array<() => Promise<void>>;

/**
 * A shop with a web chat inbox and one flow published (built by `graph`, which may first make the
 * coupon it offers), and two workers applying events: on PostgreSQL each with a pool of its own
 * (two hosts); on SQLite the one connection of the process.
 */
export async function twoWorkerShop(backend: DatabaseDialect, cleanups: Cleanups, graph: (shop: { db: Database; orgId: string }) => FlowGraph | Promise<FlowGraph>) {
  const handle = await openTestDatabase(backend, inject('postgresUrl'));
  cleanups.push(() => handle.close());
  let otherDb: Database = handle.db;
  if (backend === 'postgres') {
    const other = await connectDatabase({ url: handle.url, migrate: false });
    cleanups.push(() => other.close());
    otherDb = other.db;
  }
  const { db } = handle;
  const { flowRuns, outbox } = db.tables;
  const orgId = newId('org');
  await db.insert(db.tables.organisations).values({ id: orgId, name: 'Shop', features: { coupons: true }, createdAt: new Date() });
  const cipher = credentialCipher(randomBytes(32));
  const inbox = await createInbox(db, cipher, orgId, { channel: 'webchat', name: 'Chat', credentials: {} });
  const flow = await createFlow(db, orgId, 'Flow', await graph({ db, orgId }));
  expect(await publishFlow(db, orgId, flow.id)).toEqual({ ok: true, version: 1 });
  const worker = (workerDb: Database): StepEnv => ({
    db: workerDb,
    coupons: (d) => createCouponEngine({ db: d }),
    publicUrl: 'http://couponflow.test',
    now: () => new Date(),
    flushOutbox: async () => {},
  });
  const runsOf = (customerId: string) =>
    db
      .select({ id: flowRuns.id, status: flowRuns.status, waitSerial: flowRuns.waitSerial })
      .from(flowRuns)
      .where(and(eq(flowRuns.inboxId, inbox.id), eq(flowRuns.customerId, customerId)));
  const messagesTo = async (customerId: string) =>
    (await db.select({ customerId: outbox.customerId, kind: outbox.kind }).from(outbox)).filter((r) => r.kind === 'message' && r.customerId === customerId);
  return { db, otherDb, cipher, orgId, inboxId: inbox.id, flowId: flow.id, workers: [worker(db), worker(otherDb)] as const, runsOf, messagesTo };
}
