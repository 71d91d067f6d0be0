import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CouponEngine } from '@couponflow/coupons';
import type { Senders } from '@couponflow/flow-runtime';
import { api, botMessages, chatWorld, couponFlow, publishedFlow, say } from './support/chatWorld';
import { webchatSenderFor } from './support/webchatSenderFor';

type World = Awaited<ReturnType<typeof chatWorld>>;
let world: World;
let scenario = 0;

beforeAll(async () => void (world = await chatWorld()));
afterAll(() => world.server.close());

/** A coupon with `settings`, a published flow offering it on its own keyword, and a visitor saying it. */
async function offerTo(w: World, settings: object, { pool = 0, customer = `visitor-${++scenario}` } = {}) {
  const coupon = await api(w.server, w.keys.owner, 'POST', '/coupons', {
    name: `Coupon ${scenario}`,
    code: { type: 'unique', length: 8 },
    activePeriod: { startsAt: '2020-01-01T00:00:00Z', endsAt: null },
    ...settings,
  });
  expect(coupon.status, JSON.stringify(coupon.body)).toBe(201);
  if (pool) await api(w.server, w.keys.owner, 'POST', `/coupons/${coupon.body.id}/codes`, { generate: pool });
  const keyword = `coupon${scenario}`;
  await publishedFlow(w.server, w.keys.owner, couponFlow(keyword, coupon.body.id));
  await say(w.server, w.inboxId, customer, keyword.toUpperCase());
  return { couponId: coupon.body.id as string, customer };
}

const redeemOnPage = async (w: World, url: string) => {
  const token = new URL(url).pathname.split('/').pop()!;
  return w.server.call('POST', `/r/${token}/redeem`, { headers: { Accept: 'application/json' } });
};

describe('Distribute Coupon leaves by the port that fits', () => {
  it.each([
    ['not started yet', { activePeriod: { startsAt: '2099-01-01T00:00:00Z', endsAt: null } }, 'coupon_not_started'],
    ['expired', { activePeriod: { startsAt: '2020-01-01T00:00:00Z', endsAt: '2021-01-01T00:00:00Z' } }, 'coupon_expired'],
    ['inactive', { active: false }, 'coupon_inactive'],
  ])('a coupon that is %s: no offer, port coupon_expired with the precise reason', async (_what, settings, reason) => {
    const { customer } = await offerTo(world, settings, { pool: 5 });
    const [message] = await botMessages(world.server, world.inboxId, customer, 1);
    expect(message).toMatchObject({ type: 'text', text: `port=coupon_expired reason=${reason} code=` });
  });

  it('a revoked coupon: port coupon_expired, reason coupon_revoked', async () => {
    const coupon = await api(world.server, world.keys.owner, 'POST', '/coupons', {
      name: 'Revoked',
      code: { type: 'common' },
      activePeriod: { startsAt: '2020-01-01T00:00:00Z', endsAt: null },
    });
    await api(world.server, world.keys.owner, 'POST', `/coupons/${coupon.body.id}/revoke`, { scope: 'coupon' });
    await publishedFlow(world.server, world.keys.owner, couponFlow('revokedcoupon', coupon.body.id));
    await say(world.server, world.inboxId, 'revoked-visitor', 'revokedcoupon');
    const [message] = await botMessages(world.server, world.inboxId, 'revoked-visitor', 1);
    expect(message!.text).toBe('port=coupon_expired reason=coupon_revoked code=');
  });

  it('the organisation’s coupons add-on was switched off after publishing: no coupon, port error', async () => {
    const coupon = await api(world.server, world.keys.owner, 'POST', '/coupons', {
      name: 'Add-on off',
      code: { type: 'common' },
      activePeriod: { startsAt: '2020-01-01T00:00:00Z', endsAt: null },
    });
    await publishedFlow(world.server, world.keys.owner, couponFlow('addonoff', coupon.body.id));
    await api(world.server, world.server.adminKey, 'PATCH', `/orgs/${world.keys.orgId}`, { features: { coupons: false } });
    try {
      await say(world.server, world.inboxId, 'addon-visitor', 'addonoff');
      const [message] = await botMessages(world.server, world.inboxId, 'addon-visitor', 1);
      expect(message!.text).toBe('port=error reason=feature_disabled code=');
    } finally {
      await api(world.server, world.server.adminKey, 'PATCH', `/orgs/${world.keys.orgId}`, { features: { coupons: true } });
    }
    const records = await api(world.server, world.keys.owner, 'GET', `/coupons/${coupon.body.id}/redemptions`);
    expect(records.body.items).toEqual([]);
  });

  it('an empty pool: port coupon_max_uses_reached', async () => {
    const { customer } = await offerTo(world, {});
    const [message] = await botMessages(world.server, world.inboxId, customer, 1);
    expect(message!.text).toBe('port=coupon_max_uses_reached reason=coupon_max_uses_reached code=');
  });

  it('the customer already used their share: port customer_max_uses_reached', async () => {
    const customer = 'loyal-visitor';
    const coupon = await api(world.server, world.keys.owner, 'POST', '/coupons', {
      name: 'Once each',
      code: { type: 'common' },
      activePeriod: { startsAt: '2020-01-01T00:00:00Z', endsAt: null },
      perCustomerLimit: 1,
    });
    const earlier = await api(world.server, world.keys.owner, 'POST', `/coupons/${coupon.body.id}/distributions`, { customerId: customer, inboxId: world.inboxId });
    await redeemOnPage(world, earlier.body.redeemUrl);
    await publishedFlow(world.server, world.keys.owner, couponFlow('onceeach', coupon.body.id));
    await say(world.server, world.inboxId, customer, 'onceeach');
    const [message] = await botMessages(world.server, world.inboxId, customer, 1);
    expect(message!.text).toBe('port=customer_max_uses_reached reason=customer_max_uses_reached code=');
  });

  it('everything was claimed: port coupon_max_uses_reached', async () => {
    const coupon = await api(world.server, world.keys.owner, 'POST', '/coupons', {
      name: 'One only',
      code: { type: 'common' },
      activePeriod: { startsAt: '2020-01-01T00:00:00Z', endsAt: null },
      totalLimit: 1,
    });
    const other = await api(world.server, world.keys.owner, 'POST', `/coupons/${coupon.body.id}/distributions`, { customerId: 'someone-else', inboxId: world.inboxId });
    await redeemOnPage(world, other.body.redeemUrl);
    await publishedFlow(world.server, world.keys.owner, couponFlow('oneonly', coupon.body.id));
    await say(world.server, world.inboxId, 'late-visitor', 'oneonly');
    const [message] = await botMessages(world.server, world.inboxId, 'late-visitor', 1);
    expect(message!.text).toBe('port=coupon_max_uses_reached reason=coupon_max_uses_reached code=');
  });

  it('the offer arrives as text, image and a button; redeeming on the page resumes the run by redeemed with the code', async () => {
    const { customer } = await offerTo(world, {}, { pool: 3 });
    const [offer] = await botMessages(world.server, world.inboxId, customer, 1);
    expect(offer).toMatchObject({
      type: 'offer',
      text: `Here is your coupon, ${customer}!`,
      imageUrl: 'https://cdn.example.com/c.png',
      buttons: [{ title: 'Get coupon', url: expect.stringMatching(/^http:\/\/couponflow\.test\/r\//) }],
    });
    const redeemed = await (await redeemOnPage(world, offer!.buttons[0]!.url)).json();
    const [, followUp] = await botMessages(world.server, world.inboxId, customer, 2);
    expect(followUp!.text).toBe(`port=redeemed reason= code=${redeemed.code}`);
  });

  it('a redemption refused on the page because the limit was reached meanwhile resumes by that port', async () => {
    const { couponId, customer } = await offerTo(world, { code: { type: 'common' }, totalLimit: 1 });
    const [offer] = await botMessages(world.server, world.inboxId, customer, 1);
    const rival = await api(world.server, world.keys.owner, 'POST', `/coupons/${couponId}/distributions`, { customerId: 'rival', inboxId: world.inboxId });
    expect((await redeemOnPage(world, rival.body.redeemUrl)).status).toBe(200);
    const refused = await redeemOnPage(world, offer!.buttons[0]!.url);
    expect(refused.status).toBe(409);
    const [, followUp] = await botMessages(world.server, world.inboxId, customer, 2);
    expect(followUp!.text).toBe('port=coupon_max_uses_reached reason=coupon_max_uses_reached code=');
  });

  it('other messages while the offer waits are ignored: the offer stays valid', async () => {
    const { customer } = await offerTo(world, {}, { pool: 3 });
    const [offer] = await botMessages(world.server, world.inboxId, customer, 1);
    await say(world.server, world.inboxId, customer, 'hello?');
    expect((await redeemOnPage(world, offer!.buttons[0]!.url)).status).toBe(200);
    const messages = await botMessages(world.server, world.inboxId, customer, 2);
    expect(messages.map((m) => m.text?.split(' ')[0])).toEqual([`Here`, 'port=redeemed']);
  });
});

describe('Distribute Coupon leaves by error', () => {
  it('when the coupon engine fails unexpectedly', async () => {
    const failing = (engine: CouponEngine): CouponEngine => ({
      ...engine,
      distribute: () => {
        throw new Error('disk on fire');
      },
    });
    const w = await chatWorld({ runtimeCoupons: failing });
    try {
      const { customer } = await offerTo(w, {}, { pool: 3 });
      const [message] = await botMessages(w.server, w.inboxId, customer, 1);
      expect(message!.text).toBe('port=error reason=unexpected_error code=');
    } finally {
      await w.server.close();
    }
  });

  it('when the channel refuses the offer for good (the visitor blocked the bot)', async () => {
    let refused = 0;
    const w = await chatWorld({
      senders: {
        webchat: {
          // Stands in for a platform that refuses this recipient's offer permanently; other messages pass.
          send: async (delivery) => {
            if (delivery.message.type === 'offer') {
              refused++;
              return { ok: false, permanent: true, reason: 'recipient_blocked' };
            }
            return realWebchat(w).send(delivery);
          },
        },
      } satisfies Senders,
    });
    try {
      const { customer } = await offerTo(w, {}, { pool: 3 });
      const [message] = await botMessages(w.server, w.inboxId, customer, 1);
      expect(message!.text).toBe('port=error reason=delivery_failed code=');
      expect(refused).toBe(1);
    } finally {
      await w.server.close();
    }
  });
});

const realWebchat = (w: World) => webchatSenderFor(w.server);
