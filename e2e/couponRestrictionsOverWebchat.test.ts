import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, botMessages, chatWorld, couponFlow, publishedFlow, say } from './support/chatWorld';

type World = Awaited<ReturnType<typeof chatWorld>>;
let world: World;
let scenario = 0;

beforeAll(async () => void (world = await chatWorld()));
afterAll(() => world.server.close());

/** A common-code coupon with `settings`, a published flow offering it on its own keyword, and a visitor saying it. */
async function offerTo(settings: object, { before }: { before?: (couponId: string) => Promise<void> } = {}) {
  const customer = `restricted-${++scenario}`;
  const coupon = await api(world.server, world.keys.owner, 'POST', '/coupons', {
    name: `Restricted ${scenario}`,
    code: { type: 'common' },
    activePeriod: { startsAt: '2020-01-01T00:00:00Z', endsAt: null },
    ...settings,
  });
  expect(coupon.status, JSON.stringify(coupon.body)).toBe(201);
  await before?.(coupon.body.id);
  const keyword = `restricted${scenario}`;
  await publishedFlow(world.server, world.keys.owner, couponFlow(keyword, coupon.body.id));
  await say(world.server, world.inboxId, customer, keyword);
  return { couponId: coupon.body.id as string, customer };
}

describe('issue 10’s refusals keep the block’s five ports, with the precise reason', () => {
  it('a customer outside the audience leaves by customer_max_uses_reached, reason customer_not_eligible', async () => {
    const { customer } = await offerTo({ audience: { type: 'tag', tag: 'vip' } });
    const [message] = await botMessages(world.server, world.inboxId, customer, 1);
    expect(message!.text).toBe('port=customer_max_uses_reached reason=customer_not_eligible code=');
  });

  it('a coupon issued as often as allowed leaves by coupon_max_uses_reached, reason coupon_max_issued_reached', async () => {
    const { customer } = await offerTo(
      { maxIssuedTotal: 1 },
      { before: async (couponId) => void (await api(world.server, world.keys.owner, 'POST', `/coupons/${couponId}/distributions`, { customerId: 'first', inboxId: world.inboxId })) },
    );
    const [message] = await botMessages(world.server, world.inboxId, customer, 1);
    expect(message!.text).toBe('port=coupon_max_uses_reached reason=coupon_max_issued_reached code=');
  });

  it('a redemption refused for now (not yet redeemable) leaves the run waiting; it resumes by redeemed later', async () => {
    const { couponId, customer } = await offerTo({ redeemableAfterDays: 3 });
    const [offer] = await botMessages(world.server, world.inboxId, customer, 1);
    const token = new URL(offer!.buttons[0]!.url).pathname.split('/').pop()!;
    const early = await world.server.call('POST', `/r/${token}/redeem`, { headers: { Accept: 'application/json' } });
    expect(early.status).toBe(409);
    expect((await early.json()).error.code).toBe('not_yet_redeemable');
    // The admin lifts the delay; the same offer now redeems and the waiting run goes on by `redeemed`.
    expect((await api(world.server, world.keys.owner, 'PATCH', `/coupons/${couponId}`, { redeemableAfterDays: null })).status).toBe(200);
    const later = await world.server.call('POST', `/r/${token}/redeem`, { headers: { Accept: 'application/json' } });
    expect(later.status).toBe(200);
    const messages = await botMessages(world.server, world.inboxId, customer, 2);
    expect(messages[1]!.text).toMatch(/^port=redeemed reason= code=/);
  });
});
