import type { Database } from '@couponflow/db';
import { orgWithKeys, sampleCoupon, startTestServer, type TestServer } from '../../server/src/testing/testServer';
import { api } from './chatWorld';

/** One organisation's keys and a little of everything it owns, each id real. */
export interface OrgFixtures {
  orgId: string;
  keys: { owner: string; admin: string; designer: string; staff: string };
  inboxId: string;
  /** unique codes, with a pool */
  couponId: string;
  commonCouponId: string;
  /** published, version 1: keyword "hi" → wait for a reply → answer */
  flowId: string;
  broadcastId: string;
  /** a contact of inboxId with a run waiting for a reply */
  customerId: string;
  /** a redeemed record: what staff verify */
  redemptionId: string;
  code: string;
  /** an offer nobody opened yet */
  token: string;
  /** every id above, to look for in another organisation's answers */
  ids: string[];
}

const node = (id: string, type: string, data: object, x = 0) => ({ id, type, position: { x, y: 0 }, data });
export const sampleGraph = {
  nodes: [
    node('start', 'start', { trigger: { type: 'keyword', keywords: ['hi'] } }),
    node('ask', 'wait_for_reply', { variable: 'answer' }, 200),
    node('reply', 'send_message', { text: 'You said {{vars.answer}}' }, 400),
  ],
  edges: [
    { id: 'e1', source: 'start', sourceHandle: 'next', target: 'ask' },
    { id: 'e2', source: 'ask', sourceHandle: 'next', target: 'reply' },
  ],
};

/**
 * A running Couponflow with two organisations, A and B, each with keys of every role and real
 * data (on a fresh SQLite file, or on `database`). Workers ran long enough to give each a contact
 * with a waiting run, then stopped, so from here on only requests change anything (and queued jobs
 * stay where they are).
 */
export async function twoOrganisations({ database }: { database?: Database } = {}) {
  const server = await startTestServer({ workers: true, ...(database ? { database } : {}) });
  const a = await orgFixtures(server, 'Shop A');
  const b = await orgFixtures(server, 'Shop B');
  await server.runtime.stopWorkers();
  // What the workers last wrote is handed to Redis now, not by a sweep in the middle of the matrix.
  await server.runtime.flushOutbox();
  // A job waiting in a contact shard queue, for the queue dashboard's job actions.
  const waitingJobId = 'matrix-waiting-message';
  await checked(api(server, '', 'POST', `/webchat/${a.inboxId}/messages`, { contactId: a.customerId, text: 'still here', messageId: waitingJobId }), 202);
  return { server, a, b, waitingJobId };
}

export type TwoOrganisations = Awaited<ReturnType<typeof twoOrganisations>>;

async function orgFixtures(server: TestServer, name: string): Promise<OrgFixtures> {
  const { orgId, ...keys } = await orgWithKeys(server, name);
  const call = (method: string, path: string, json?: unknown, status = 200) => checked(api(server, keys.owner, method, path, json), status);
  const inboxId = (await call('POST', '/inboxes', { channel: 'webchat', name: 'Website' }, 201)).id;
  const couponId = (await call('POST', '/coupons', sampleCoupon, 201)).id;
  await call('POST', `/coupons/${couponId}/codes`, { generate: 20 }, 201);
  const commonCouponId = (await call('POST', '/coupons', { ...sampleCoupon, name: 'Welcome', code: { type: 'common', value: `WELCOME${name.at(-1)}` } }, 201)).id;
  const flowId = (await call('POST', '/flows', { name: 'Greeting' }, 201)).id;
  await call('PUT', `/flows/${flowId}/draft`, sampleGraph);
  await call('POST', `/flows/${flowId}/publish`, undefined, 201);
  const broadcastId = (await call('POST', `/flows/${flowId}/broadcasts`, { inboxId, customerIds: ['broadcast-1'] }, 202)).id;
  await waitFor(async () => (await api(server, keys.owner, 'GET', `/broadcasts/${broadcastId}`)).body.completed === 1);

  const customerId = 'visitor-1';
  await checked(api(server, '', 'POST', `/webchat/${inboxId}/messages`, { contactId: customerId, text: 'hi' }), 202);
  await waitFor(async () => (await api(server, keys.owner, 'GET', `/contacts/${customerId}?inboxId=${inboxId}`)).body.activeRun?.status === 'waiting');

  const redeemed = await call('POST', `/coupons/${couponId}/distributions`, { customerId: 'alice', inboxId }, 201);
  const redemption = await server.call('POST', `/r/${redeemed.token}/redeem`, { headers: { Accept: 'application/json' } });
  if (redemption.status !== 200) throw new Error(`redeem failed: ${redemption.status}`);
  const { code } = await redemption.json();
  const { token } = await call('POST', `/coupons/${couponId}/distributions`, { customerId: 'bob', inboxId }, 201);
  return {
    orgId,
    keys,
    inboxId,
    couponId,
    commonCouponId,
    flowId,
    broadcastId,
    customerId,
    redemptionId: redeemed.id,
    code,
    token,
    ids: [orgId, inboxId, couponId, commonCouponId, flowId, broadcastId, redeemed.id, redeemed.token, token, code],
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function checked(reply: Promise<{ status: number; body: any }>, status: number) {
  const { status: got, body } = await reply;
  if (got !== status) throw new Error(`fixture request answered ${got}, expected ${status}: ${JSON.stringify(body)}`);
  return body;
}

async function waitFor(condition: () => Promise<boolean>) {
  for (let i = 0; i < 400; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('fixture never became ready');
}
