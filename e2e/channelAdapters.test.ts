import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orgWithKeys, startTestServer, type TestServer } from '../server/src/testing/testServer';
import { api, publishedFlow } from './support/chatWorld';
import { eventually, startPlatforms, type Platform } from './support/platforms';

const node = (id: string, type: string, data: object) => ({ id, type, position: { x: 0, y: 0 }, data });
const edge = (source: string, sourceHandle: string, target: string) => ({ id: `${source}-${sourceHandle}`, source, sourceHandle, target });
const ports = ['redeemed', 'coupon_expired', 'customer_max_uses_reached', 'coupon_max_uses_reached', 'error'];
const image = 'https://cdn.example.com/coupon.png';

/** keyword → offer → a reply per port; "echo" → wait for a reply → say it back ten times; broadcast → offer. */
function flows(couponId: string) {
  const offer = (id: string) => node(id, 'distribute_coupon', { couponId, message: 'Hi {{contact.name}}, 10% off today', buttonTitle: 'Get coupon', imageUrl: image });
  const after = (prefix: string) => ports.map((port) => node(`${prefix}_${port}`, 'send_message', { text: `port=${port} reason={{coupon.reason}} code={{coupon.code}}` }));
  const afterEdges = (from: string, prefix: string) => ports.map((port) => edge(from, port, `${prefix}_${port}`));
  return {
    keyword: {
      nodes: [node('start', 'start', { trigger: { type: 'keyword', keywords: ['coupon'] } }), offer('offer'), ...after('k')],
      edges: [edge('start', 'next', 'offer'), ...afterEdges('offer', 'k')],
    },
    echo: {
      nodes: [node('start', 'start', { trigger: { type: 'keyword', keywords: ['echo'] } }), node('ask', 'wait_for_reply', { variable: 'said' }), node('say', 'send_message', { text: '{{vars.said}}'.repeat(10) })],
      edges: [edge('start', 'next', 'ask'), edge('ask', 'next', 'say')],
    },
    broadcast: {
      nodes: [node('start', 'start', { trigger: { type: 'broadcast' } }), offer('offer'), ...after('b')],
      edges: [edge('start', 'next', 'offer'), ...afterEdges('offer', 'b')],
    },
  };
}

let server: TestServer;
let platforms: Platform[];
let owner: string;
const inboxOf = new Map<string, string>();
let broadcastFlow: string;
let couponId: string;

beforeAll(async () => {
  platforms = await startPlatforms();
  const bot = platforms.find((p) => p.channel === 'botframework')!.fake as import('@couponflow/channels/testing').FakeBotframework;
  server = await startTestServer({ workers: true, botframework: { openIdMetadataUrl: bot.openIdMetadataUrl, tokenUrl: bot.tokenUrl } });
  ({ owner } = await orgWithKeys(server));
  for (const p of platforms) {
    const inbox = await api(server, owner, 'POST', '/inboxes', { channel: p.channel, name: p.name, credentials: p.credentials, apiBaseUrl: p.fake.url });
    expect(inbox.status).toBe(201);
    inboxOf.set(p.name, inbox.body.id);
  }
  const coupon = await api(server, owner, 'POST', '/coupons', { name: 'Ten off', code: { type: 'unique', length: 8 }, activePeriod: { startsAt: '2020-01-01T00:00:00Z', endsAt: null } });
  await api(server, owner, 'POST', `/coupons/${coupon.body.id}/codes`, { generate: 500 });
  couponId = coupon.body.id;
  const f = flows(coupon.body.id);
  await publishedFlow(server, owner, f.keyword, 'Keyword offer');
  await publishedFlow(server, owner, f.echo, 'Echo');
  broadcastFlow = await publishedFlow(server, owner, f.broadcast, 'Broadcast offer');
});

afterAll(async () => {
  await server.close();
  await Promise.all(platforms.map((p) => p.fake.close()));
});

const post = (p: Platform, message: { body: string; headers: Record<string, string> }) =>
  server.call('POST', `/webhooks/${inboxOf.get(p.name)}`, { body: message.body, headers: message.headers });
const runsOf = (p: Platform, customer: string) => {
  const { flowRuns } = server.db.tables;
  return server.db.select().from(flowRuns).where(and(eq(flowRuns.inboxId, inboxOf.get(p.name)!), eq(flowRuns.customerId, customer)));
};
const seenUntil = (p: Platform, customer: string, count: number) => eventually(() => p.seen(customer), (s) => s.length >= count, `${count} messages to ${customer}`);

describe.each(['LINE', 'Messenger', 'WhatsApp', 'Bot Framework'])('%s', (name) => {
  const p = () => platforms.find((x) => x.name === name)!;

  it('a signed keyword gets the native offer; redeeming it brings the redeemed follow-up', async () => {
    const customer = p().customer();
    expect((await post(p(), p().inbound(customer, 'Coupon'))).status).toBe(200);
    const [offer] = await seenUntil(p(), customer, 1);
    expect(offer).toMatchObject({ kind: 'offer', imageUrl: image, buttonTitle: 'Get coupon' });
    expect(offer!.text).toContain(`Hi ${p().nameOf!(customer)}`);
    expect(offer!.url).toMatch(/^http:\/\/couponflow\.test\/r\/[\w-]+$/);
    const token = offer!.url!.split('/r/')[1]!;
    const redeemed = await server.call('POST', `/r/${token}/redeem`, { headers: { Accept: 'application/json' } });
    expect(redeemed.status).toBe(200);
    const { code } = await redeemed.json();
    const [, followUp] = await seenUntil(p(), customer, 2);
    expect(followUp).toMatchObject({ kind: 'text', text: `port=redeemed reason= code=${code}` });
  });

  it('a wrong or missing signature is refused and nothing runs', async () => {
    const customer = p().customer();
    expect((await post(p(), p().forged(customer, 'coupon'))).status).toBe(401);
    const forged = p().inbound(customer, 'coupon');
    const unsigned = Object.fromEntries(Object.entries(forged.headers).filter(([k]) => !/signature|authorization/i.test(k)));
    expect((await post(p(), { body: forged.body, headers: unsigned })).status).toBe(401);
    // The contact's events apply in order: when this real one has its offer, a queued forgery would have too.
    await post(p(), p().inbound(customer, 'coupon'));
    await seenUntil(p(), customer, 1);
    expect(await runsOf(p(), customer)).toHaveLength(1);
    expect(p().seen(customer)).toHaveLength(1);
  });

  it('a 429 is retried after its Retry-After and delivered once', async () => {
    const customer = p().customer();
    p().fake.failNext({ status: 429, headers: { 'Retry-After': '1' }, body: { message: 'slow down', error: { code: 4, message: 'slow down' } } }, { match: (r) => r.path.includes(p().sendPath) && p().recipientOf(r) === customer });
    await post(p(), p().inbound(customer, 'coupon'));
    await seenUntil(p(), customer, 1);
    const attempts = p().fake.requests.filter((r) => r.path.includes(p().sendPath) && p().recipientOf(r) === customer);
    expect(attempts.map((r) => r.status)).toEqual([429, attempts[1]!.status]);
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(1000);
    expect(p().seen(customer)).toHaveLength(1);
  });

  it('a permanent refusal of the offer routes the run by error', async () => {
    const customer = p().customer();
    p().fake.failNext(p().permanentError, { match: (r) => r.path.includes(p().sendPath) && p().recipientOf(r) === customer });
    await post(p(), p().inbound(customer, 'coupon'));
    const [reply] = await seenUntil(p(), customer, 1);
    expect(reply).toMatchObject({ kind: 'text', text: 'port=error reason=delivery_failed code=' });
  });

  it('a redelivered event runs once', async () => {
    const customer = p().customer();
    const first = p().inbound(customer, 'coupon');
    const accepted = await post(p(), first);
    expect(accepted.status).toBe(200);
    expect(accepted.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await accepted.json()).toEqual({ received: 1 });
    expect((await post(p(), first)).status).toBe(200);
    // A later keyword is applied after the redelivery (same contact, in order): two offers, not three.
    await post(p(), p().inbound(customer, 'coupon'));
    await seenUntil(p(), customer, 2);
    expect(await runsOf(p(), customer)).toHaveLength(2);
    expect(p().seen(customer).filter((s) => s.kind === 'offer')).toHaveLength(2);
  });

  it('a text over the platform’s limit is cut with an ellipsis, not refused', async () => {
    const customer = p().customer();
    await post(p(), p().inbound(customer, 'echo'));
    await eventually(async () => (await runsOf(p(), customer))[0]?.status, (s) => s === 'waiting', 'the run to wait for a reply');
    await post(p(), p().inbound(customer, 'y'.repeat(3000)));
    const [said] = await seenUntil(p(), customer, 1);
    expect(said!.kind).toBe('text');
    expect(said!.text!.endsWith('…')).toBe(true);
    expect(Array.from(said!.text!).length).toBeLessThan(30_000);
  });

  it('an offer broadcast outside the messaging window', async () => {
    const customer = p().customer();
    const started = await api(server, owner, 'POST', `/flows/${broadcastFlow}/broadcasts`, { inboxId: inboxOf.get(p().name), customerIds: [customer] });
    expect(started.status).toBe(202);
    if (p().channel === 'line') {
      // LINE has no window: the offer is pushed, and the run waits for the redemption.
      expect((await seenUntil(p(), customer, 1))[0]).toMatchObject({ kind: 'offer' });
      return;
    }
    const run = await eventually(async () => (await runsOf(p(), customer))[0], (r) => r?.status === 'completed', 'the broadcast run to end');
    if (p().window) {
      // Meta refuses free-form messages 24 h after the customer's last one: nothing is even asked.
      expect(run!.vars['coupon.reason']).toBe('outside_messaging_window');
      expect(p().fake.requests.filter((r) => r.rawBody.includes(customer))).toHaveLength(0);
    } else {
      // Bot Framework can only answer a conversation the user opened.
      expect(run!.vars['coupon.reason']).toBe('delivery_failed');
    }
  });
});

describe('WhatsApp specifics', () => {
  const wa = () => platforms.find((x) => x.channel === 'whatsapp')!;

  it('outside the window an offer goes out as the inbox’s approved template, token as the URL suffix', async () => {
    const inboxId = inboxOf.get('WhatsApp')!;
    const template = { name: 'coupon_offer', language: 'en_US', headerImage: true, bodyText: true, buttonUrlSuffix: true };
    expect((await api(server, owner, 'PATCH', `/inboxes/${inboxId}`, { offerTemplate: template })).status).toBe(200);
    try {
      const customer = wa().customer();
      await api(server, owner, 'POST', `/flows/${broadcastFlow}/broadcasts`, { inboxId, customerIds: [customer] });
      const [sent] = await seenUntil(wa(), customer, 1);
      const { flowRuns } = server.db.tables;
      const [record] = await server.db.select().from(flowRuns).where(eq(flowRuns.customerId, customer)).limit(1);
      const token = record!.vars['coupon.redeemUrl']!.split('/r/')[1];
      expect(sent!.raw).toMatchObject({
        type: 'template',
        template: {
          name: 'coupon_offer',
          language: { code: 'en_US' },
          components: [
            { type: 'header', parameters: [{ type: 'image', image: { link: image } }] },
            { type: 'body', parameters: [{ type: 'text', text: 'Hi , 10% off today' }] },
            { type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: token }] },
          ],
        },
      });
    } finally {
      await api(server, owner, 'PATCH', `/inboxes/${inboxId}`, { offerTemplate: null });
    }
  });

  it('a Distribute Coupon block may name its own template', async () => {
    const flowId = await publishedFlow(server, owner, {
      nodes: [
        node('start', 'start', { trigger: { type: 'broadcast' } }),
        node('offer', 'distribute_coupon', { couponId, message: 'Block offer', buttonTitle: 'Open', whatsappTemplate: { name: 'block_offer', language: 'pt_BR', bodyText: true } }),
      ],
      edges: [edge('start', 'next', 'offer')],
    });
    const customer = wa().customer();
    await api(server, owner, 'POST', `/flows/${flowId}/broadcasts`, { inboxId: inboxOf.get('WhatsApp'), customerIds: [customer] });
    const [sent] = await seenUntil(wa(), customer, 1);
    expect(sent!.raw).toMatchObject({ type: 'template', template: { name: 'block_offer', language: { code: 'pt_BR' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'Block offer' }] }] } });
  });

  it('a failure reported later in statuses[].errors routes the waiting run by error', async () => {
    const customer = wa().customer();
    await post(wa(), wa().inbound(customer, 'coupon'));
    await seenUntil(wa(), customer, 1);
    const fake = wa().fake as import('@couponflow/channels/testing').FakeWhatsapp;
    const messageId = fake.deliveredIds.at(-1)!;
    expect((await post(wa(), fake.failedStatus(customer, messageId))).status).toBe(200);
    const [, reply] = await seenUntil(wa(), customer, 2);
    expect(reply).toMatchObject({ kind: 'text', text: 'port=error reason=delivery_failed code=' });
  });
});

describe('the webhook endpoint', () => {
  const meta = () => platforms.filter((x) => x.window);

  it('answers Meta’s verify handshake, and refuses a wrong verify token', async () => {
    for (const p of meta()) {
      const inboxId = inboxOf.get(p.name)!;
      const ok = await server.call('GET', `/webhooks/${inboxId}?hub.mode=subscribe&hub.verify_token=${p.credentials.verifyToken}&hub.challenge=12345`);
      expect([ok.status, await ok.text()]).toEqual([200, '12345']);
      expect((await server.call('GET', `/webhooks/${inboxId}?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1`)).status).toBe(403);
    }
  });

  it('answers bad requests with a clear 4xx', async () => {
    const line = platforms.find((x) => x.channel === 'line')!;
    const fake = line.fake as import('@couponflow/channels/testing').FakeLine;
    const inboxId = inboxOf.get('LINE')!;
    const signed = (body: string, type = 'application/json') => server.call('POST', `/webhooks/${inboxId}`, { body, headers: { 'Content-Type': type, 'X-Line-Signature': fake.sign(body) } });
    const malformed = await signed('{"events":[');
    expect([malformed.status, (await malformed.json()).error.code]).toEqual([400, 'malformed_json']);
    expect((await signed('events=1', 'application/x-www-form-urlencoded')).status).toBe(415);
    const huge = await signed(JSON.stringify({ events: [], pad: 'x'.repeat(2_000_000) }));
    expect(huge.status).toBe(413);
    expect((await signed('{"destination":"U0","events":[]}')).status).toBe(200);
    expect((await server.call('POST', '/webhooks/inb_missing', { body: '{}', headers: { 'Content-Type': 'application/json' } })).status).toBe(404);
  });
});
