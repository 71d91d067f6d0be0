import { afterEach, describe, expect, it } from 'vitest';
import { couponInput, expectOk, testWorld, type TestWorld } from './testing/testEngine';

let w: TestWorld;
afterEach(() => w.close());

/** alice redeemed, bob verified, carol and dave only received the offer. */
function campaignWithCustomers() {
  const coupon = expectOk(w.engine.createCoupon(w.orgId, couponInput()));
  const send = (customerId: string) =>
    expectOk(w.engine.distribute(w.orgId, { couponId: coupon.id, customerId, inboxId: 'inbox1', channel: 'line' })).record;
  const [alice, bob, carol, dave] = ['alice', 'bob', 'carol', 'dave'].map(send) as [ReturnType<typeof send>, ReturnType<typeof send>, ReturnType<typeof send>, ReturnType<typeof send>];
  expectOk(w.engine.redeem(alice.token));
  expectOk(w.engine.redeem(bob.token));
  expectOk(w.engine.verify(w.orgId, { redemptionId: bob.id }));
  return { coupon, alice, bob, carol, dave };
}

describe('revoking', () => {
  it('scope unredeemed revokes every offer not yet redeemed and nothing else', () => {
    w = testWorld();
    const { coupon, alice, carol } = campaignWithCustomers();
    expect(expectOk(w.engine.revoke(w.orgId, coupon.id, { scope: 'unredeemed' }))).toEqual({ revoked: 2 });
    expect(expectOk(w.engine.stats(w.orgId, coupon.id))).toMatchObject({ sent: 4, redeemed: 2, verified: 1, revoked: 2 });
    expect(w.engine.redeem(carol.token)).toMatchObject({ ok: false, reason: 'coupon_revoked' });
    expect(expectOk(w.engine.verify(w.orgId, { redemptionId: alice.id })).status).toBe('verified');
    // the coupon itself goes on
    expect(w.engine.distribute(w.orgId, { couponId: coupon.id, customerId: 'erin', inboxId: 'inbox1', channel: 'line' }).ok).toBe(true);
  });

  it('scope customers revokes only the listed customers’ unredeemed offers', () => {
    w = testWorld();
    const { coupon, carol, dave } = campaignWithCustomers();
    expect(expectOk(w.engine.revoke(w.orgId, coupon.id, { scope: 'customers', customerIds: ['carol', 'alice'] }))).toEqual({ revoked: 1 });
    expect(w.engine.redeem(carol.token)).toMatchObject({ ok: false, reason: 'coupon_revoked' });
    expect(w.engine.redeem(dave.token).ok).toBe(true);
  });

  it('scope coupon is final: redeemed codes are revoked, nothing more is distributed, redeemed or verified', () => {
    w = testWorld();
    const { coupon, alice, carol } = campaignWithCustomers();
    expect(expectOk(w.engine.revoke(w.orgId, coupon.id, { scope: 'coupon' }))).toEqual({ revoked: 3 });
    expect(expectOk(w.engine.getCoupon(w.orgId, coupon.id)).status).toBe('revoked');
    expect(w.engine.redeem(carol.token)).toMatchObject({ ok: false, reason: 'coupon_revoked' });
    expect(w.engine.redeem(alice.token)).toMatchObject({ ok: false, reason: 'coupon_revoked' });
    expect(w.engine.verify(w.orgId, { redemptionId: alice.id })).toMatchObject({ ok: false, reason: 'revoked' });
    expect(w.engine.updateCoupon(w.orgId, coupon.id, { active: true })).toMatchObject({ ok: false, reason: 'coupon_revoked' });
    expect(expectOk(w.engine.stats(w.orgId, coupon.id))).toMatchObject({ verified: 1, revoked: 3 });
  });

  it('refuses an unknown scope or an empty customer list with details', () => {
    w = testWorld();
    const coupon = expectOk(w.engine.createCoupon(w.orgId, couponInput()));
    expect(w.engine.revoke(w.orgId, coupon.id, { scope: 'everything' })).toMatchObject({ ok: false, reason: 'validation_failed' });
    expect(w.engine.revoke(w.orgId, coupon.id, { scope: 'customers', customerIds: [] })).toMatchObject({ ok: false, reason: 'validation_failed' });
  });
});
