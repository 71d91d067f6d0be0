import { afterEach, describe, expect, it } from 'vitest';
import { contactTagList } from './contactTags';
import { couponInput, expectOk, testWorld, type TestWorld } from './testing/testEngine';

let w: TestWorld;
afterEach(() => w.close());

function sendTo(couponId: string, customerId: string) {
  return expectOk(w.engine.distribute(w.orgId, { couponId, customerId, inboxId: 'inbox1', channel: 'webchat' })).record.token;
}

describe('redeeming a coupon on the redeem page', () => {
  it('reveals a common code and counts the redemption', async () => {
    w = testWorld();
    const coupon = expectOk(w.engine.createCoupon(w.orgId, couponInput()));
    const redemption = expectOk(w.engine.redeem(sendTo(coupon.id, 'alice')));
    expect(redemption.code).toBe('SUMMER10');
    expect(redemption.record).toMatchObject({ status: 'redeemed', redeemedAt: w.clock.now().toISOString() });
    expect(redemption.expiresAt).toBe('2026-09-01T00:00:00.000Z');
    expect(expectOk(w.engine.getCoupon(w.orgId, coupon.id)).redeemedCount).toBe(1);
  });

  it('allows the limit-th redemption and refuses the limit+1-th', async () => {
    w = testWorld();
    const coupon = expectOk(w.engine.createCoupon(w.orgId, couponInput({ totalLimit: 3 })));
    const tokens = ['a', 'b', 'c', 'd'].map((customer) => sendTo(coupon.id, customer));
    expect(tokens.slice(0, 3).map((t) => w.engine.redeem(t).ok)).toEqual([true, true, true]);
    expect(w.engine.redeem(tokens[3]!)).toMatchObject({ ok: false, reason: 'coupon_max_uses_reached' });
  });

  it('allows a customer exactly perCustomerLimit redemptions', async () => {
    w = testWorld();
    const coupon = expectOk(w.engine.createCoupon(w.orgId, couponInput({ perCustomerLimit: 2 })));
    expectOk(w.engine.redeem(sendTo(coupon.id, 'alice')));
    expectOk(w.engine.redeem(sendTo(coupon.id, 'alice')));
    expect(w.engine.distribute(w.orgId, { couponId: coupon.id, customerId: 'alice', inboxId: 'inbox1', channel: 'webchat' })).toMatchObject({
      ok: false,
      reason: 'customer_max_uses_reached',
    });
  });

  it('re-checks the limits at redemption: offers sent earlier lose when the limit is reached meanwhile', async () => {
    w = testWorld();
    const coupon = expectOk(w.engine.createCoupon(w.orgId, couponInput({ totalLimit: 1 })));
    const [first, second] = [sendTo(coupon.id, 'alice'), sendTo(coupon.id, 'bob')];
    expectOk(w.engine.redeem(first));
    expect(w.engine.redeem(second)).toMatchObject({ ok: false, reason: 'coupon_max_uses_reached' });
  });

  it('gives each customer their own code from the pool and refuses when the pool runs empty', async () => {
    w = testWorld();
    const coupon = expectOk(w.engine.createCoupon(w.orgId, couponInput({ code: { type: 'unique', prefix: 'SUM-' } })));
    expectOk(await w.engine.generateCodes(w.orgId, coupon.id, 2));
    const tokens = ['a', 'b', 'c'].map((customer) => sendTo(coupon.id, customer));
    const codes = tokens.slice(0, 2).map((t) => expectOk(w.engine.redeem(t)).code);
    expect(new Set(codes).size).toBe(2);
    for (const code of codes) expect(code).toMatch(/^SUM-[ABCDEFGHJKLMNPQRSTUVWXYZ23456789]{10}$/);
    expect(w.engine.redeem(tokens[2]!)).toMatchObject({ ok: false, reason: 'coupon_max_uses_reached' });
  });

  it('is idempotent: pressing Redeem twice returns the same code and counts once', async () => {
    w = testWorld();
    const coupon = expectOk(w.engine.createCoupon(w.orgId, couponInput({ code: { type: 'unique' } })));
    expectOk(await w.engine.generateCodes(w.orgId, coupon.id, 5));
    const token = sendTo(coupon.id, 'alice');
    const first = expectOk(w.engine.redeem(token));
    w.clock.advance(1000);
    expect(expectOk(w.engine.redeem(token))).toEqual(first);
    expect(expectOk(w.engine.getCoupon(w.orgId, coupon.id)).redeemedCount).toBe(1);
  });

  it('answers coupon_revoked for a record revoked before redemption', async () => {
    w = testWorld();
    const coupon = expectOk(w.engine.createCoupon(w.orgId, couponInput()));
    const token = sendTo(coupon.id, 'alice');
    expectOk(w.engine.revoke(w.orgId, coupon.id, { scope: 'unredeemed' }));
    expect(w.engine.redeem(token)).toMatchObject({ ok: false, reason: 'coupon_revoked' });
  });

  it('answers coupon_expired when the period ended between offer and redemption', async () => {
    w = testWorld();
    const coupon = expectOk(w.engine.createCoupon(w.orgId, couponInput()));
    const token = sendTo(coupon.id, 'alice');
    w.clock.set('2026-09-01T00:00:00.000Z');
    expect(w.engine.redeem(token)).toMatchObject({ ok: false, reason: 'coupon_expired' });
    expect(expectOk(w.engine.stats(w.orgId, coupon.id)).expired).toBe(1);
  });

  it('answers coupon_inactive when an admin switched the coupon off after sending', async () => {
    w = testWorld();
    const coupon = expectOk(w.engine.createCoupon(w.orgId, couponInput()));
    const token = sendTo(coupon.id, 'alice');
    expectOk(w.engine.updateCoupon(w.orgId, coupon.id, { active: false }));
    expect(w.engine.redeem(token)).toMatchObject({ ok: false, reason: 'coupon_inactive' });
    expectOk(w.engine.updateCoupon(w.orgId, coupon.id, { active: true }));
    expect(w.engine.redeem(token).ok).toBe(true);
  });

  it('sets the usage expiry by mode, always capped by the end of the period', async () => {
    w = testWorld();
    const afterRedeem = expectOk(w.engine.createCoupon(w.orgId, couponInput({ code: { type: 'common' }, usageExpiry: { type: 'days_after_redeemed', days: 7 } })));
    const afterSent = expectOk(w.engine.createCoupon(w.orgId, couponInput({ code: { type: 'common' }, usageExpiry: { type: 'days_after_sent', days: 7 } })));
    const capped = expectOk(w.engine.createCoupon(w.orgId, couponInput({ code: { type: 'common' }, usageExpiry: { type: 'days_after_redeemed', days: 365 } })));
    const sentAt = w.clock.ms;
    const tokens = [afterRedeem, afterSent, capped].map((c) => sendTo(c.id, 'alice'));
    w.clock.advance(2 * 86_400_000);
    const [a, b, c] = tokens.map((t) => expectOk(w.engine.redeem(t)).expiresAt);
    expect(a).toBe(new Date(w.clock.ms + 7 * 86_400_000).toISOString());
    expect(b).toBe(new Date(sentAt + 7 * 86_400_000).toISOString());
    expect(c).toBe('2026-09-01T00:00:00.000Z');
  });

  it('answers not_found for a token nobody was given', async () => {
    w = testWorld();
    expect(w.engine.redeem('no-such-token')).toMatchObject({ ok: false, reason: 'not_found' });
  });

  it('tags the contact on open and on redemption, and opening counts only once', async () => {
    w = testWorld();
    const coupon = expectOk(w.engine.createCoupon(w.orgId, couponInput({ contactTags: { onOpened: 'opened', onRedeemed: 'redeemed' } })));
    const token = sendTo(coupon.id, 'alice');
    const opened = expectOk(w.engine.open(token));
    expect(opened).toMatchObject({ state: 'ready', record: { status: 'opened' } });
    w.clock.advance(5000);
    expect(expectOk(w.engine.open(token)).record.openedAt).toBe(opened.record.openedAt);
    expectOk(w.engine.redeem(token));
    expect(contactTagList(w.db, { orgId: w.orgId, inboxId: 'inbox1', customerId: 'alice' })).toEqual(['opened', 'redeemed']);
  });

  it('lets a crawler peek at the page without marking it opened', async () => {
    w = testWorld();
    const coupon = expectOk(w.engine.createCoupon(w.orgId, couponInput()));
    const token = sendTo(coupon.id, 'alice');
    expect(expectOk(w.engine.peek(token)).record.status).toBe('sent');
    expect(expectOk(w.engine.stats(w.orgId, coupon.id)).opened).toBe(0);
  });
});
