import { backends } from '@couponflow/db/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { couponInput, createOrg, expectOk, testWorld, type TestWorld } from './testing/testEngine';

let w: TestWorld;
afterEach(() => w.close());

describe.each(backends)('on %s', (backend) => {

  async function uniqueCoupon(overrides: Parameters<typeof couponInput>[0] = {}) {
    const coupon = expectOk(await w.engine.createCoupon(w.orgId, couponInput({ code: { type: 'unique' }, ...overrides })));
    expectOk(await w.engine.generateCodes(w.orgId, coupon.id, 10));
    return coupon;
  }
  async function sendTo(couponId: string, customerId = 'alice') {
    return expectOk(await w.engine.distribute(w.orgId, { couponId, customerId, inboxId: 'inbox1', channel: 'webchat' })).record;
  }
  async function* lines(...codes: string[]) {
    yield codes.join('\n') + '\n';
  }

  describe('staff verifying a shown code', () => {
    it('marks a redeemed code verified, by code or by redemption id', async () => {
      w = await testWorld(backend);
      const coupon = await uniqueCoupon();
      const { code } = expectOk(await w.engine.redeem((await sendTo(coupon.id, 'alice')).token));
      expect(expectOk(await w.engine.verify(w.orgId, { code }))).toMatchObject({ status: 'verified', verifiedAt: w.clock.now().toISOString() });
      const other = await sendTo(coupon.id, 'bob');
      expectOk(await w.engine.redeem(other.token));
      expect(expectOk(await w.engine.verify(w.orgId, { redemptionId: other.id })).status).toBe('verified');
    });

    it('answers not_found for an unknown code and for another organisation', async () => {
      w = await testWorld(backend);
      const coupon = await uniqueCoupon();
      const { code } = expectOk(await w.engine.redeem((await sendTo(coupon.id)).token));
      expect(await w.engine.verify(w.orgId, { code: 'NOPE1234' })).toMatchObject({ ok: false, reason: 'not_found' });
      expect(await w.engine.verify('org_other', { code })).toMatchObject({ ok: false, reason: 'not_found' });
    });

    it('tells two organisations holding the same pool code apart: each verifies only its own customer', async () => {
      w = await testWorld(backend);
      const otherOrg = await createOrg(w.db, 'Other shop');
      const ours = expectOk(await w.engine.createCoupon(w.orgId, couponInput({ code: { type: 'unique' } })));
      const theirs = expectOk(await w.engine.createCoupon(otherOrg, couponInput({ code: { type: 'unique' } })));
      expectOk(await w.engine.importCodes(w.orgId, ours.id, lines('SAME-0001')));
      expectOk(await w.engine.importCodes(otherOrg, theirs.id, lines('SAME-0001')));
      const alice = await sendTo(ours.id, 'alice');
      expect(expectOk(await w.engine.redeem(alice.token)).code).toBe('SAME-0001');
      // the other shop's SAME-0001 is still in its pool: nobody there redeemed it
      expect(await w.engine.verify(otherOrg, { code: 'SAME-0001' })).toMatchObject({ ok: false, reason: 'not_found' });

      const bob = expectOk(await w.engine.distribute(otherOrg, { couponId: theirs.id, customerId: 'bob', inboxId: 'inbox1', channel: 'webchat' })).record;
      expectOk(await w.engine.redeem(bob.token));
      expect(expectOk(await w.engine.verify(otherOrg, { code: 'SAME-0001' })).id).toBe(bob.id);
      expect(expectOk(await w.engine.verify(w.orgId, { code: 'SAME-0001' })).id).toBe(alice.id);
    });

    it('answers not_found for a code a reversal retired, and verifies the code redeemed after it', async () => {
      w = await testWorld(backend);
      const coupon = await uniqueCoupon();
      const record = await sendTo(coupon.id);
      const first = expectOk(await w.engine.redeem(record.token));
      expectOk(await w.engine.reverse(w.orgId, coupon.id, record.id, { to: 'sent' }));
      expect(await w.engine.verify(w.orgId, { code: first.code })).toMatchObject({ ok: false, reason: 'not_found' });

      const again = expectOk(await w.engine.redeem(record.token));
      expect(again.code).not.toBe(first.code);
      expect(await w.engine.verify(w.orgId, { code: first.code })).toMatchObject({ ok: false, reason: 'not_found' });
      expect(expectOk(await w.engine.verify(w.orgId, { code: again.code }))).toMatchObject({ id: record.id, code: again.code, status: 'verified' });
    });

    it('answers not_redeemed for an offer the customer has not redeemed', async () => {
      w = await testWorld(backend);
      const record = await sendTo((await uniqueCoupon()).id);
      expect(await w.engine.verify(w.orgId, { redemptionId: record.id })).toMatchObject({ ok: false, reason: 'not_redeemed' });
    });

    it('answers already_verified the second time', async () => {
      w = await testWorld(backend);
      const { code } = expectOk(await w.engine.redeem((await sendTo((await uniqueCoupon()).id)).token));
      expectOk(await w.engine.verify(w.orgId, { code }));
      expect(await w.engine.verify(w.orgId, { code })).toMatchObject({ ok: false, reason: 'already_verified' });
    });

    it('two tills scanning one code at once: one verifies it, the other hears already_verified', async () => {
      w = await testWorld(backend);
      const { code } = expectOk(await w.engine.redeem((await sendTo((await uniqueCoupon()).id)).token));
      const answers = await Promise.all([1, 2, 3].map(() => w.engine.verify(w.orgId, { code })));
      expect(answers.map((a) => (a.ok ? 'ok' : a.reason)).sort()).toEqual(['already_verified', 'already_verified', 'ok']);
    });

    it('answers expired once the usage expiry has passed, and not a millisecond before', async () => {
      w = await testWorld(backend);
      const coupon = await uniqueCoupon({ usageExpiry: { type: 'days_after_redeemed', days: 1 } });
      const { code } = expectOk(await w.engine.redeem((await sendTo(coupon.id)).token));
      const second = expectOk(await w.engine.redeem((await sendTo(coupon.id, 'bob')).token));
      w.clock.advance(86_400_000 - 1);
      expect((await w.engine.verify(w.orgId, { code: second.code })).ok).toBe(true);
      w.clock.advance(1);
      expect(await w.engine.verify(w.orgId, { code })).toMatchObject({ ok: false, reason: 'expired' });
    });

    it('answers revoked after the coupon was revoked', async () => {
      w = await testWorld(backend);
      const coupon = await uniqueCoupon();
      const { code } = expectOk(await w.engine.redeem((await sendTo(coupon.id)).token));
      expectOk(await w.engine.revoke(w.orgId, coupon.id, { scope: 'coupon' }));
      expect(await w.engine.verify(w.orgId, { code })).toMatchObject({ ok: false, reason: 'revoked' });
    });

    it('accepts a scanned EAN-13 for a 12-digit stored code', async () => {
      w = await testWorld(backend);
      const coupon = expectOk(
        await w.engine.createCoupon(w.orgId, couponInput({ code: { type: 'unique', charset: 'numeric', length: 12 }, redeemPage: { codeDisplay: 'ean13' } })),
      );
      expectOk(await w.engine.generateCodes(w.orgId, coupon.id, 3));
      const { code } = expectOk(await w.engine.redeem((await sendTo(coupon.id)).token));
      let sum = 0;
      for (let i = 0; i < 12; i++) sum += Number(code[i]) * (i % 2 ? 3 : 1);
      expect(expectOk(await w.engine.verify(w.orgId, { code: code + ((10 - (sum % 10)) % 10) })).code).toBe(code);
    });

    it('asks for the redemption id when the code is a common code many customers share', async () => {
      w = await testWorld(backend);
      const coupon = expectOk(await w.engine.createCoupon(w.orgId, couponInput()));
      const record = await sendTo(coupon.id);
      expectOk(await w.engine.redeem(record.token));
      expect(await w.engine.verify(w.orgId, { code: 'SUMMER10' })).toMatchObject({ ok: false, reason: 'code_not_unique' });
      expect((await w.engine.verify(w.orgId, { redemptionId: record.id })).ok).toBe(true);
    });
  });
});
