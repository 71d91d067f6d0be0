import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orgWithKeys } from '../server/src/testing/testServer';
import { api, botMessages, chatWorld, publishedFlow, say } from './support/chatWorld';

type World = Awaited<ReturnType<typeof chatWorld>>;
let world: World;
beforeAll(async () => void (world = await chatWorld()));
afterAll(() => world.server.close());

const node = (id: string, type: string, data: object, x = 0) => ({ id, type, position: { x, y: 0 }, data });
const edge = (source: string, sourceHandle: string, target: string) => ({ id: `${source}-${sourceHandle}`, source, sourceHandle, target });

function askFlow(keyword: string, reply: string, timeoutSeconds?: number) {
  return {
    nodes: [
      node('start', 'start', { trigger: { type: 'keyword', keywords: [keyword] } }),
      node('ask', 'wait_for_reply', { variable: 'answer', ...(timeoutSeconds ? { timeoutSeconds } : {}) }, 200),
      node('reply', 'send_message', { text: `${reply} {{vars.answer}}` }, 400),
      node('late', 'send_message', { text: 'too slow' }, 400),
    ],
    edges: [edge('start', 'next', 'ask'), edge('ask', 'next', 'reply'), edge('ask', 'timeout', 'late')],
  };
}

describe('flows: drafts, publishing and versions', () => {
  it('publishing an invalid flow answers 422 flow_invalid naming the nodes at fault', async () => {
    const flow = await api(world.server, world.keys.designer, 'POST', '/flows', { name: 'Broken' });
    await api(world.server, world.keys.designer, 'PUT', `/flows/${flow.body.id}/draft`, {
      nodes: [
        node('start', 'start', { trigger: { type: 'keyword', keywords: ['x'] } }),
        node('offer', 'distribute_coupon', { couponId: 'cpn_missing', message: 'hi', buttonTitle: 'Get' }, 200),
        node('island', 'send_message', { text: '' }, 400),
      ],
      edges: [edge('start', 'next', 'offer'), { id: 'bad', source: 'offer', sourceHandle: '0', target: 'island' }],
    });
    expect((await api(world.server, world.keys.designer, 'POST', `/flows/${flow.body.id}/publish`)).status).toBe(403);
    const published = await api(world.server, world.keys.owner, 'POST', `/flows/${flow.body.id}/publish`);
    expect(published.status).toBe(422);
    expect(published.body.error.code).toBe('flow_invalid');
    const faults = published.body.error.details.map((d: { nodeId?: string; edgeId?: string }) => d.edgeId ?? d.nodeId);
    expect(faults).toEqual(expect.arrayContaining(['offer', 'island', 'bad']));
  });

  it('publishing refuses a keyword another published flow already answers, naming that flow', async () => {
    const first = await publishedFlow(world.server, world.keys.owner, askFlow('menu', 'first'), 'Main menu');
    const second = await api(world.server, world.keys.owner, 'POST', '/flows', { name: 'Copy' });
    await api(world.server, world.keys.owner, 'PUT', `/flows/${second.body.id}/draft`, askFlow('MENU', 'second'));
    const refused = await api(world.server, world.keys.owner, 'POST', `/flows/${second.body.id}/publish`);
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('flow_invalid');
    expect(refused.body.error.details).toEqual([
      { nodeId: 'start', path: 'data.trigger.keywords.0', message: `keyword "MENU" already starts the published flow "Main menu" (${first})`, otherFlowId: first },
    ]);
    // The flow that answers it may publish again; another organisation's flows are no obstacle.
    expect((await api(world.server, world.keys.owner, 'POST', `/flows/${first}/publish`)).status).toBe(201);
    const other = await orgWithKeys(world.server, 'Other shop');
    await publishedFlow(world.server, other.owner, askFlow('menu', 'elsewhere'));
  });

  it('a run started on version 1 finishes on version 1 after version 2 is published', async () => {
    const flowId = await publishedFlow(world.server, world.keys.owner, askFlow('ask', 'v1 heard'));
    await say(world.server, world.inboxId, 'pat', 'ask');
    await waitForRun(world, 'pat', 'waiting');
    await api(world.server, world.keys.owner, 'PUT', `/flows/${flowId}/draft`, askFlow('ask', 'v2 heard'));
    expect((await api(world.server, world.keys.owner, 'POST', `/flows/${flowId}/publish`)).body).toEqual({ version: 2 });
    await say(world.server, world.inboxId, 'pat', 'blue');
    expect((await botMessages(world.server, world.inboxId, 'pat', 1))[0]!.text).toBe('v1 heard blue');
    await say(world.server, world.inboxId, 'sam', 'ask');
    await waitForRun(world, 'sam', 'waiting');
    await say(world.server, world.inboxId, 'sam', 'red');
    expect((await botMessages(world.server, world.inboxId, 'sam', 1))[0]!.text).toBe('v2 heard red');

    const versions = await api(world.server, world.keys.designer, 'GET', `/flows/${flowId}/versions`);
    expect(versions.body.items.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    const restored = await api(world.server, world.keys.designer, 'POST', `/flows/${flowId}/versions/1/restore`);
    expect(restored.body.draft.nodes.find((n: { id: string }) => n.id === 'reply').data.text).toBe('v1 heard {{vars.answer}}');
    expect(restored.body.publishedVersion).toBe(2);
  });

  it('a message delivered twice (same event id) runs once', async () => {
    await publishedFlow(world.server, world.keys.owner, {
      nodes: [node('start', 'start', { trigger: { type: 'keyword', keywords: ['twice'] } }), node('hi', 'send_message', { text: 'hello once' }, 200)],
      edges: [edge('start', 'next', 'hi')],
    });
    await say(world.server, world.inboxId, 'dup', 'twice', 'evt-1');
    await say(world.server, world.inboxId, 'dup', 'twice', 'evt-1');
    await say(world.server, world.inboxId, 'dup', 'twice', 'evt-2');
    const messages = await botMessages(world.server, world.inboxId, 'dup', 2);
    expect(messages.map((m) => m.text)).toEqual(['hello once', 'hello once']);
  });

  it('wait_for_reply leaves by timeout when no reply comes', async () => {
    await publishedFlow(world.server, world.keys.owner, askFlow('quick', 'heard', 1));
    await say(world.server, world.inboxId, 'slow', 'quick');
    expect((await botMessages(world.server, world.inboxId, 'slow', 1))[0]!.text).toBe('too slow');
  });

  it('tags and conditions steer the run, and the contact shows its tags', async () => {
    await publishedFlow(world.server, world.keys.owner, {
      nodes: [
        node('start', 'start', { trigger: { type: 'keyword', keywords: ['vip'] } }),
        node('tag', 'tag_contact', { add: ['vip'] }, 100),
        node('check', 'condition', { match: 'all', rules: [{ kind: 'tag', name: 'vip', op: 'has' }] }, 200),
        node('yes', 'send_message', { text: 'welcome, vip ({{contact.tags}})' }, 300),
        node('no', 'send_message', { text: 'hello stranger' }, 300),
      ],
      edges: [edge('start', 'next', 'tag'), edge('tag', 'next', 'check'), edge('check', 'true', 'yes'), edge('check', 'false', 'no')],
    });
    await say(world.server, world.inboxId, 'kim', 'VIP');
    expect((await botMessages(world.server, world.inboxId, 'kim', 1))[0]!.text).toBe('welcome, vip (vip)');
    const contact = await api(world.server, world.keys.designer, 'GET', `/contacts/kim?inboxId=${world.inboxId}`);
    expect(contact.body).toMatchObject({ customerId: 'kim', tags: ['vip'], activeRun: null });
  });

  it('node types describe every block, and hide Distribute Coupon when the add-on is off', async () => {
    const types = await api(world.server, world.keys.designer, 'GET', '/node-types');
    expect(types.body.items.map((t: { type: string }) => t.type)).toEqual(['start', 'send_message', 'distribute_coupon', 'wait_for_reply', 'condition', 'tag_contact', 'end']);
    const distribute = types.body.items.find((t: { type: string }) => t.type === 'distribute_coupon');
    expect(distribute.ports.map((p: { id: string }) => p.id)).toEqual(['redeemed', 'coupon_expired', 'customer_max_uses_reached', 'coupon_max_uses_reached', 'error']);
    expect(distribute.configSchema.properties.couponId).toBeDefined();
    await api(world.server, world.server.adminKey, 'PATCH', `/orgs/${world.keys.orgId}`, { features: { coupons: false } });
    const without = await api(world.server, world.keys.designer, 'GET', '/node-types');
    expect(without.body.items.map((t: { type: string }) => t.type)).not.toContain('distribute_coupon');
    await api(world.server, world.server.adminKey, 'PATCH', `/orgs/${world.keys.orgId}`, { features: { coupons: true } });
  });
});

describe('the queue dashboard', () => {
  it('opens for the instance admin only: its queues hold every organisation’s jobs', async () => {
    const basic = (key: string) => ({ Authorization: `Basic ${Buffer.from(`admin:${key}`).toString('base64')}` });
    expect((await world.server.call('GET', '/admin/queues')).status).toBe(401);
    for (const role of ['designer', 'admin', 'owner'] as const) {
      expect((await world.server.call('GET', '/admin/queues', { headers: basic(world.keys[role]) })).status).toBe(403);
      expect((await world.server.call('GET', '/admin/queues/api/queues', { key: world.keys[role] })).status).toBe(403);
    }
    const page = await world.server.call('GET', '/admin/queues', { headers: basic(world.server.adminKey) });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>');
  });
});

async function waitForRun(w: World, customerId: string, status: string) {
  for (let i = 0; i < 400; i++) {
    const contact = await api(w.server, w.keys.owner, 'GET', `/contacts/${customerId}?inboxId=${w.inboxId}`);
    if (contact.body.activeRun?.status === status) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${customerId}'s run never reached ${status}`);
}
