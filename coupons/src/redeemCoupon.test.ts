import { backends } from '@couponflow/db/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { contactTagList } from './contactTags';
import { couponInput, inTurn, expectOk, testWorld, type TestWorld } from './testing/testEngine';

let w: TestWorld;
afterEach(() => w.close());

describe.each(backends)('on %s', (backend) => {

  async function sendTo(couponId: string, customerId: string) {
    return expectOk(await w.engine.distribute(w.orgId, { couponId, customerId, inboxId: 'inbox1', channel: 'webchat' })).record.token;
  }

  describe('redeeming a coupon on the redeem page', () => {
    it('reveals a common code and counts the redemption', async () => {
      w = await testWorld(backend);
      const coupon = expectOk(await w.engine.createCoupon(w.orgId, couponInput()));
      const redemption = expectOk(await w.engine.redeem(await sendTo(coupon.id, 'alice')));
      expect(redemption.code).toBe('SUMMER10');
      expect(redemption.record).toMatchObject({ status: 'redeemed', redeemedAt: w.clock.now().toISOString() });
      expect(redemption.expiresAt).toBe('2026-09-01T00:00:00.000Z');
      expect(expectOk(await w.engine.getCoupon(w.orgId, coupon.id)).redeemedCount).toBe(1);
    });

    it('pressed many times at once (a double tap, two tabs) still redeems once, with one code', async () => {
      w = await testWorld(backend);
      const coupon = expectOk(await w.engine.createCoupon(w.orgId, couponInput({ code: { type: 'unique' } })));
      expectOk(await w.engine.generateCodes(w.orgId, coupon.id, 5));
      const token = await sendTo(coupon.id, 'alice');
      const answers = (await Promise.all(Array.from({ length: 8 }, () => w.engine.redeem(token)))).map((answer) => expectOk(answer));
      expect(new Set(answers.map((a) => a.code)).size).toBe(1);
      expect(expectOk(await w.engine.getCoupon(w.orgId, coupon.id)).redeemedCount).toBe(1);
      expect(expectOk(await w.engine.listCouponEvents(w.orgId, coupon.id, { action: 'redeem' })).items).toHaveLength(1);
    });

    it('allows the limit-th redemption and refuses the limit+1-th', async () => {
      w = await testWorld(backend);
      const coupon = expectOk(await w.engine.createCoupon(w.orgId, couponInput({ totalLimit: 3 })));
      const tokens = await inTurn(['a', 'b', 'c', 'd'], (customer) => sendTo(coupon.id, customer));
      expect(await inTurn(tokens.slice(0, 3), async (t) => (await w.engine.redeem(t)).ok)).toEqual([true, true, true]);
      expect(await w.engine.redeem(tokens[3]!)).toMatchObject({ ok: false, reason: 'coupon_max_uses_reached' });
    });

    it('allows a customer exactly perCustomerLimit redemptions', async () => {
      w = await testWorld(backend);
      const coupon = expectOk(await w.engine.createCoupon(w.orgId, couponInput({ perCustomerLimit: 2 })));
      expectOk(await w.engine.redeem(await sendTo(coupon.id, 'alice')));
      expectOk(await w.engine.redeem(await sendTo(coupon.id, 'alice')));
      expect(await w.engine.distribute(w.orgId, { couponId: coupon.id, customerId: 'alice', inboxId: 'inbox1', channel: 'webchat' })).toMatchObject({
        ok: false,
        reason: 'customer_max_uses_reached',
      });
    });

    it('re-checks the limits at redemption: offers sent earlier lose when the limit is reached meanwhile', async () => {
      w = await testWorld(backend);
      const coupon = expectOk(await w.engine.createCoupon(w.orgId, couponInput({ totalLimit: 1 })));
      const [first, second] = [await sendTo(coupon.id, 'alice'), await sendTo(coupon.id, 'bob')];
      expectOk(await w.engine.redeem(first));
      expect(await w.engine.redeem(second)).toMatchObject({ ok: false, reason: 'coupon_max_uses_reached' });
    });

    it('gives each customer their own code from the pool and refuses when the pool runs empty', async () => {
      w = await testWorld(backend);
      const coupon = expectOk(await w.engine.createCoupon(w.orgId, couponInput({ code: { type: 'unique', prefix: 'SUM-' } })));
      expectOk(await w.engine.generateCodes(w.orgId, coupon.id, 2));
      const tokens = await inTurn(['a', 'b', 'c'], (customer) => sendTo(coupon.id, customer));
      const codes = await inTurn(tokens.slice(0, 2), async (t) => expectOk(await w.engine.redeem(t)).code);
      expect(new Set(codes).size).toBe(2);
      for (const code of codes) expect(code).toMatch(/^SUM-[ABCDEFGHJKLMNPQRSTUVWXYZ23456789]{10}$/);
      expect(await w.engine.redeem(tokens[2]!)).toMatchObject({ ok: false, reason: 'coupon_max_uses_reached' });
    });

    it('is idempotent: pressing Redeem twice returns the same code and counts once', async () => {
      w = await testWorld(backend);
      const coupon = expectOk(await w.engine.createCoupon(w.orgId, couponInput({ code: { type: 'unique' } })));
      expectOk(await w.engine.generateCodes(w.orgId, coupon.id, 5));
      const token = await sendTo(coupon.id, 'alice');
      const first = expectOk(await w.engine.redeem(token));
      w.clock.advance(1000);
      expect(expectOk(await w.engine.redeem(token))).toEqual(first);
      expect(expectOk(await w.engine.getCoupon(w.orgId, coupon.id)).redeemedCount).toBe(1);
    });

    it('answers coupon_revoked for a record revoked before redemption', async () => {
      w = await testWorld(backend);
      const coupon = expectOk(await w.engine.createCoupon(w.orgId, couponInput()));
      const token = await sendTo(coupon.id, 'alice');
      expectOk(await w.engine.revoke(w.orgId, coupon.id, { scope: 'unredeemed' }));
      expect(await w.engine.redeem(token)).toMatchObject({ ok: false, reason: 'coupon_revoked' });
    });

    it('answers coupon_expired when the period ended between offer and redemption', async () => {
      w = await testWorld(backend);
      const coupon = expectOk(await w.engine.createCoupon(w.orgId, couponInput()));
      const token = await sendTo(coupon.id, 'alice');
      w.clock.set('2026-09-01T00:00:00.000Z');
      expect(await w.engine.redeem(token)).toMatchObject({ ok: false, reason: 'coupon_expired' });
      expect(expectOk(await w.engine.stats(w.orgId, coupon.id)).expired).toBe(1);
    });

    it('answers coupon_inactive when an admin switched the coupon off after sending', async () => {
      w = await testWorld(backend);
      const coupon = expectOk(await w.engine.createCoupon(w.orgId, couponInput()));
      const token = await sendTo(coupon.id, 'alice');
      expectOk(await w.engine.updateCoupon(w.orgId, coupon.id, { active: false }));
      expect(await w.engine.redeem(token)).toMatchObject({ ok: false, reason: 'coupon_inactive' });
      expectOk(await w.engine.updateCoupon(w.orgId, coupon.id, { active: true }));
      expect((await w.engine.redeem(token)).ok).toBe(true);
    });

    it('sets the usage expiry by mode, always capped by the end of the period', async () => {
      w = await testWorld(backend);
      const afterRedeem = expectOk(await w.engine.createCoupon(w.orgId, couponInput({ code: { type: 'common' }, usageExpiry: { type: 'days_after_redeemed', days: 7 } })));
      const afterSent = expectOk(await w.engine.createCoupon(w.orgId, couponInput({ code: { type: 'common' }, usageExpiry: { type: 'days_after_sent', days: 7 } })));
      const capped = expectOk(await w.engine.createCoupon(w.orgId, couponInput({ code: { type: 'common' }, usageExpiry: { type: 'days_after_redeemed', days: 365 } })));
      const sentAt = w.clock.ms;
      const tokens = await inTurn([afterRedeem, afterSent, capped], (c) => sendTo(c.id, 'alice'));
      w.clock.advance(2 * 86_400_000);
      const [a, b, c] = await inTurn(tokens, async (t) => expectOk(await w.engine.redeem(t)).expiresAt);
      expect(a).toBe(new Date(w.clock.ms + 7 * 86_400_000).toISOString());
      expect(b).toBe(new Date(sentAt + 7 * 86_400_000).toISOString());
      expect(c).toBe('2026-09-01T00:00:00.000Z');
    });

    it('answers not_found for a token nobody was given', async () => {
      w = await testWorld(backend);
      expect(await w.engine.redeem('no-such-token')).toMatchObject({ ok: false, reason: 'not_found' });
    });

    it('tags the contact on open and on redemption, and opening counts only once', async () => {
      w = await testWorld(backend);
      const coupon = expectOk(await w.engine.createCoupon(w.orgId, couponInput({ contactTags: { onOpened: 'opened', onRedeemed: 'redeemed' } })));
      const token = await sendTo(coupon.id, 'alice');
      const opened = expectOk(await w.engine.open(token));
      expect(opened).toMatchObject({ state: 'ready', record: { status: 'opened' } });
      w.clock.advance(5000);
      expect(expectOk(await w.engine.open(token)).record.openedAt).toBe(opened.record.openedAt);
      expectOk(await w.engine.redeem(token));
      expect(await contactTagList(w.db, { orgId: w.orgId, inboxId: 'inbox1', customerId: 'alice' })).toEqual(['opened', 'redeemed']);
    });

    it('lets a crawler peek at the page without marking it opened', async () => {
      w = await testWorld(backend);
      const coupon = expectOk(await w.engine.createCoupon(w.orgId, couponInput()));
      const token = await sendTo(coupon.id, 'alice');
      expect(expectOk(await w.engine.peek(token)).record.status).toBe('sent');
      expect(expectOk(await w.engine.stats(w.orgId, coupon.id)).opened).toBe(0);
    });
  });
});
