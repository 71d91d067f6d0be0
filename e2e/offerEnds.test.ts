import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, botMessages, chatWorld, couponFlow, publishedFlow, say } from './support/chatWorld';
import { contactJob, jobOutcome } from './support/contactJobs';

type World = Awaited<ReturnType<typeof chatWorld>>;
let world: World;
let scenario = 0;

beforeAll(async () => void (world = await chatWorld()));
afterAll(() => world.server.close());

const inSeconds = (s: number) => new Date(Date.now() + s * 1000).toISOString();
const isCheck = (customerId: string, check: string) => (d: Record<string, unknown>) => d.type === 'check' && d.customerId === customerId && d.check === check;

/** A common coupon ending at `endsAt`, a flow offering it on its own keyword (with `offer` settings), and a visitor who got the offer. */
async function waitingOffer(endsAt: string | null, offer: object = {}) {
  const n = ++scenario;
  const coupon = await api(world.server, world.keys.owner, 'POST', '/coupons', {
    name: `Offer ${n}`,
    code: { type: 'common' },
    activePeriod: { startsAt: '2020-01-01T00:00:00Z', endsAt },
  });
  expect(coupon.status, JSON.stringify(coupon.body)).toBe(201);
  const graph = couponFlow(`offer${n}`, coupon.body.id);
  Object.assign(graph.nodes.find((node) => node.id === 'offer')!.data, offer);
  await publishedFlow(world.server, world.keys.owner, graph);
  const customer = `waiting-${n}`;
  await say(world.server, world.inboxId, customer, `offer${n}`);
  const [message] = await botMessages(world.server, world.inboxId, customer, 1);
  expect(message!.type).toBe('offer');
  return { couponId: coupon.body.id as string, customer, redeemUrl: message!.buttons[0]!.url };
}

const redeem = (url: string) => world.server.call('POST', `/r/${new URL(url).pathname.split('/').pop()}/redeem`, { headers: { Accept: 'application/json' } });
const texts = async (customer: string, count: number) => (await botMessages(world.server, world.inboxId, customer, count)).map((m) => m.text);

describe('a run waiting at an offer that ends', () => {
  it('resumes by coupon_expired when the coupon’s period ends, and the reply arrives', async () => {
    const { customer } = await waitingOffer(inSeconds(3));
    expect((await texts(customer, 2))[1]).toBe('port=coupon_expired reason=coupon_expired code=');
  });

  it('keeps waiting past the old end when endsAt was extended: the check moves to the new end', async () => {
    const { couponId, customer, redeemUrl } = await waitingOffer(inSeconds(5));
    const later = inSeconds(3600);
    const extended = await api(world.server, world.keys.owner, 'PATCH', `/coupons/${couponId}`, { activePeriod: { startsAt: '2020-01-01T00:00:00Z', endsAt: later } });
    expect(extended.status).toBe(200);
    // The old check ran at the old end and found the offer open: it left a check for the new end.
    const moved = await contactJob(world.server, ['delayed'], (d) => isCheck(customer, 'offer_expiry')(d) && d.dueAt === Date.parse(later));
    const pending = await Promise.all(world.server.runtime.queues.contactShards.map((q) => q.getJobs(['delayed', 'waiting'])));
    // Exactly one: the check for the new end, and none left for the old one.
    expect(pending.flat().filter((j) => j && isCheck(customer, 'offer_expiry')(j.data as unknown as Record<string, unknown>)).map((j) => j.id)).toEqual([moved.id]);
    expect(moved.opts.delay).toBeGreaterThan(0);
    expect(await texts(customer, 1)).toHaveLength(1);
    expect((await redeem(redeemUrl)).status).toBe(200);
    expect((await texts(customer, 2))[1]).toMatch(/^port=redeemed reason= code=/);
  });

  it.each([
    ['the coupon', { scope: 'coupon' }],
    ['every unredeemed offer', { scope: 'unredeemed' }],
  ])('resumes at once by coupon_expired, reason coupon_revoked, when %s is revoked', async (_what, revoke) => {
    const { couponId, customer } = await waitingOffer(null);
    expect((await api(world.server, world.keys.owner, 'POST', `/coupons/${couponId}/revoke`, revoke)).body).toEqual({ revoked: 1 });
    expect((await texts(customer, 2))[1]).toBe('port=coupon_expired reason=coupon_revoked code=');
  });

  it('resumes only the listed customers’ runs when their offers are revoked; a repeated check resumes nothing twice', async () => {
    const { couponId, customer } = await waitingOffer(null);
    const keyword = `offer${scenario}`;
    await say(world.server, world.inboxId, 'bystander', keyword);
    await botMessages(world.server, world.inboxId, 'bystander', 1);
    await api(world.server, world.keys.owner, 'POST', `/coupons/${couponId}/revoke`, { scope: 'customers', customerIds: [customer] });
    expect((await texts(customer, 2))[1]).toBe('port=coupon_expired reason=coupon_revoked code=');

    const check = await contactJob(world.server, ['completed'], isCheck(customer, 'offer_changed'));
    expect(check.returnvalue).toBe('applied');
    // The same event delivered again (another job id): the run has moved on, nothing happens.
    const queue = world.server.runtime.queues.contactShards.find((q) => q.name === check.queueName)!;
    const again = await queue.add('check', check.data, { jobId: `${check.id}-again` });
    expect(await jobOutcome(world.server, again)).toBe('ignored');
    expect(await texts(customer, 2)).toHaveLength(2);

    // The bystander's offer still stands.
    const [offer] = await botMessages(world.server, world.inboxId, 'bystander', 1);
    expect((await redeem(offer!.buttons[0]!.url)).status).toBe(200);
    expect((await botMessages(world.server, world.inboxId, 'bystander', 2))[1]!.text).toBe('port=redeemed reason= code=' + (await redeemedCode(couponId)));
  });

  it('resumes by coupon_expired, reason coupon_inactive, when the coupon is switched off', async () => {
    const { couponId, customer } = await waitingOffer(null);
    expect((await api(world.server, world.keys.owner, 'PATCH', `/coupons/${couponId}`, { active: false })).status).toBe(200);
    expect((await texts(customer, 2))[1]).toBe('port=coupon_expired reason=coupon_inactive code=');
  });

  it('a later run handed the same offer is the one that resumes when it is redeemed', async () => {
    const { customer } = await waitingOffer(null);
    await say(world.server, world.inboxId, customer, `offer${scenario}`);
    const [, second] = await botMessages(world.server, world.inboxId, customer, 2);
    expect(second!.type).toBe('offer');
    expect((await redeem(second!.buttons[0]!.url)).status).toBe(200);
    expect((await texts(customer, 3))[2]).toMatch(/^port=redeemed reason= code=/);
  });
});

describe('branching on why the offer ended', () => {
  it('a Condition on coupon.reason tells a revoked offer from an expired one', async () => {
    const coupon = await api(world.server, world.keys.owner, 'POST', '/coupons', {
      name: 'Branching',
      code: { type: 'common' },
      activePeriod: { startsAt: '2020-01-01T00:00:00Z', endsAt: null },
    });
    const node = (id: string, type: string, data: object) => ({ id, type, position: { x: 0, y: 0 }, data });
    const edge = (source: string, sourceHandle: string, target: string) => ({ id: `${source}-${sourceHandle}`, source, sourceHandle, target });
    await publishedFlow(world.server, world.keys.owner, {
      nodes: [
        node('start', 'start', { trigger: { type: 'keyword', keywords: ['branching'] } }),
        node('offer', 'distribute_coupon', { couponId: coupon.body.id, message: 'Offer', buttonTitle: 'Get' }),
        node('why', 'condition', { match: 'all', rules: [{ kind: 'variable', name: 'coupon.reason', op: 'equals', value: 'coupon_revoked' }] }),
        node('revoked', 'send_message', { text: 'Sorry, we withdrew this offer.' }),
        node('other', 'send_message', { text: 'This offer has ended.' }),
      ],
      edges: [edge('start', 'next', 'offer'), edge('offer', 'coupon_expired', 'why'), edge('why', 'true', 'revoked'), edge('why', 'false', 'other')],
    });
    await say(world.server, world.inboxId, 'brancher', 'branching');
    await botMessages(world.server, world.inboxId, 'brancher', 1);
    await api(world.server, world.keys.owner, 'POST', `/coupons/${coupon.body.id}/revoke`, { scope: 'unredeemed' });
    expect((await texts('brancher', 2))[1]).toBe('Sorry, we withdrew this offer.');
  });
});

describe('expiry reminders', () => {
  const reminder = (hoursBefore: number) => ({ reminder: { hoursBefore, message: 'Hurry {{contact.id}}, your coupon expires soon' } });

  it('a reminder goes out once before the offer expires, with the redeem button; then the run resumes by coupon_expired', async () => {
    // Expires in 8 s; the reminder is due 1.8 s before.
    const { customer, redeemUrl } = await waitingOffer(inSeconds(8), reminder(0.0005));
    const messages = await botMessages(world.server, world.inboxId, customer, 3);
    expect(messages.map((m) => m.text)).toEqual([
      `Here is your coupon, ${customer}!`,
      `Hurry ${customer}, your coupon expires soon`,
      'port=coupon_expired reason=coupon_expired code=',
    ]);
    expect(messages[1]!.buttons).toEqual([{ title: 'Get coupon', url: redeemUrl }]);
  });

  it('no reminder once the offer is redeemed', async () => {
    const { customer, redeemUrl } = await waitingOffer(inSeconds(3600), reminder(0.5));
    expect((await redeem(redeemUrl)).status).toBe(200);
    expect((await texts(customer, 2))[1]).toMatch(/^port=redeemed/);
    // Bring the reminder forward to now: it finds the run gone from the offer and sends nothing.
    const due = await contactJob(world.server, ['delayed'], isCheck(customer, 'offer_reminder'));
    await due.promote();
    expect(await jobOutcome(world.server, due)).toBe('ignored');
    expect(await texts(customer, 2)).toHaveLength(2);
  });
});

async function redeemedCode(couponId: string) {
  return (await api(world.server, world.keys.owner, 'GET', `/coupons/${couponId}`)).body.code.value as string;
}
