import { backends } from '@couponflow/db/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { couponInput, inTurn, expectOk, testWorld, type TestWorld } from './testing/testEngine';

let w: TestWorld;
afterEach(() => w.close());

describe.each(backends)('on %s', (backend) => {

  /** alice redeemed, bob verified, carol and dave only received the offer. */
  async function campaignWithCustomers() {
    const coupon = expectOk(await w.engine.createCoupon(w.orgId, couponInput()));
    const send = async (customerId: string) =>
      expectOk(await w.engine.distribute(w.orgId, { couponId: coupon.id, customerId, inboxId: 'inbox1', channel: 'line' })).record;
    const [alice, bob, carol, dave] = (await inTurn(['alice', 'bob', 'carol', 'dave'], send)) as [Awaited<ReturnType<typeof send>>, Awaited<ReturnType<typeof send>>, Awaited<ReturnType<typeof send>>, Awaited<ReturnType<typeof send>>];
    expectOk(await w.engine.redeem(alice.token));
    expectOk(await w.engine.redeem(bob.token));
    expectOk(await w.engine.verify(w.orgId, { redemptionId: bob.id }));
    return { coupon, alice, bob, carol, dave };
  }

  describe('revoking', () => {
    it('scope unredeemed revokes every offer not yet redeemed and nothing else', async () => {
      w = await testWorld(backend);
      const { coupon, alice, carol } = await campaignWithCustomers();
      expect(expectOk(await w.engine.revoke(w.orgId, coupon.id, { scope: 'unredeemed' }))).toEqual({ revoked: 2 });
      expect(expectOk(await w.engine.stats(w.orgId, coupon.id))).toMatchObject({ sent: 4, redeemed: 2, verified: 1, revoked: 2 });
      expect(await w.engine.redeem(carol.token)).toMatchObject({ ok: false, reason: 'coupon_revoked' });
      expect(expectOk(await w.engine.verify(w.orgId, { redemptionId: alice.id })).status).toBe('verified');
      // the coupon itself goes on
      expect((await w.engine.distribute(w.orgId, { couponId: coupon.id, customerId: 'erin', inboxId: 'inbox1', channel: 'line' })).ok).toBe(true);
    });

    it('scope customers revokes only the listed customers’ unredeemed offers', async () => {
      w = await testWorld(backend);
      const { coupon, carol, dave } = await campaignWithCustomers();
      expect(expectOk(await w.engine.revoke(w.orgId, coupon.id, { scope: 'customers', customerIds: ['carol', 'alice'] }))).toEqual({ revoked: 1 });
      expect(await w.engine.redeem(carol.token)).toMatchObject({ ok: false, reason: 'coupon_revoked' });
      expect((await w.engine.redeem(dave.token)).ok).toBe(true);
    });

    it('scope coupon is final: redeemed codes are revoked, nothing more is distributed, redeemed or verified', async () => {
      w = await testWorld(backend);
      const { coupon, alice, carol } = await campaignWithCustomers();
      expect(expectOk(await w.engine.revoke(w.orgId, coupon.id, { scope: 'coupon' }))).toEqual({ revoked: 3 });
      expect(expectOk(await w.engine.getCoupon(w.orgId, coupon.id)).status).toBe('revoked');
      expect(await w.engine.redeem(carol.token)).toMatchObject({ ok: false, reason: 'coupon_revoked' });
      expect(await w.engine.redeem(alice.token)).toMatchObject({ ok: false, reason: 'coupon_revoked' });
      expect(await w.engine.verify(w.orgId, { redemptionId: alice.id })).toMatchObject({ ok: false, reason: 'revoked' });
      expect(await w.engine.updateCoupon(w.orgId, coupon.id, { active: true })).toMatchObject({ ok: false, reason: 'coupon_revoked' });
      expect(expectOk(await w.engine.stats(w.orgId, coupon.id))).toMatchObject({ verified: 1, revoked: 3 });
    });

    it('refuses an unknown scope or an empty customer list with details', async () => {
      w = await testWorld(backend);
      const coupon = expectOk(await w.engine.createCoupon(w.orgId, couponInput()));
      expect(await w.engine.revoke(w.orgId, coupon.id, { scope: 'everything' })).toMatchObject({ ok: false, reason: 'validation_failed' });
      expect(await w.engine.revoke(w.orgId, coupon.id, { scope: 'customers', customerIds: [] })).toMatchObject({ ok: false, reason: 'validation_failed' });
    });
  });
});
