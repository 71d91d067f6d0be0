import { afterEach, describe, expect, it } from 'vitest';
import { couponInput, expectOk, testWorld, type TestWorld } from './testing/testEngine';

let w: TestWorld;
afterEach(() => w.close());

const send = (couponId: string, customerId = 'alice') =>
  expectOk(w.engine.distribute(w.orgId, { couponId, customerId, inboxId: 'inbox1', channel: 'webchat' })).record;

describe('reversing a redemption (a returned order)', () => {
  it('puts the record back to sent: the limits count it no more and the customer may redeem again, with a fresh code', async () => {
    w = testWorld();
    const coupon = expectOk(w.engine.createCoupon(w.orgId, couponInput({ code: { type: 'unique' }, perCustomerLimit: 1, totalLimit: 1 })));
    expectOk(await w.engine.generateCodes(w.orgId, coupon.id, 3));
    const record = send(coupon.id);
    const bob = send(coupon.id, 'bob');
    const first = expectOk(w.engine.redeem(record.token));
    expectOk(w.engine.verify(w.orgId, { code: first.code }));
    expect(w.engine.redeem(bob.token)).toMatchObject({ ok: false, reason: 'coupon_max_uses_reached' });

    const reversed = expectOk(w.engine.reverse(w.orgId, coupon.id, record.id, { to: 'sent' }));
    expect(reversed).toMatchObject({ status: 'sent', code: null, redeemedAt: null, verifiedAt: null, reversedAt: w.clock.now().toISOString() });
    expect(expectOk(w.engine.getCoupon(w.orgId, coupon.id))).toMatchObject({ redeemedCount: 0, stockLeft: 1 });

    const again = expectOk(w.engine.redeem(record.token));
    // the returned code was retired: it is neither handed out again nor verifiable
    expect(again.code).not.toBe(first.code);
    expect(w.engine.verify(w.orgId, { code: first.code })).toMatchObject({ ok: false, reason: 'not_found' });
    const events = expectOk(w.engine.listCouponEvents(w.orgId, coupon.id, { action: 'reverse' })).items;
    expect(events).toEqual([expect.objectContaining({ outcome: 'ok', recordId: record.id, customerId: 'alice', detail: `to sent; code ${first.code} retired` })]);
  });

  it('or revokes it for good', () => {
    w = testWorld();
    const coupon = expectOk(w.engine.createCoupon(w.orgId, couponInput({ totalLimit: 5 })));
    const record = send(coupon.id);
    expectOk(w.engine.redeem(record.token));
    expect(expectOk(w.engine.reverse(w.orgId, coupon.id, record.id, { to: 'revoked' }))).toMatchObject({ status: 'revoked', code: null });
    expect(w.engine.redeem(record.token)).toMatchObject({ ok: false, reason: 'coupon_revoked' });
    expect(expectOk(w.engine.stats(w.orgId, coupon.id))).toMatchObject({ sent: 1, redeemed: 0, revoked: 1 });
  });

  it('refuses a record that was never redeemed (not_redeemed, audited), and another coupon’s record (not_found)', () => {
    w = testWorld();
    const coupon = expectOk(w.engine.createCoupon(w.orgId, couponInput()));
    const other = expectOk(w.engine.createCoupon(w.orgId, couponInput({ code: { type: 'common', value: 'OTHER-1' } })));
    const record = send(coupon.id);
    expect(w.engine.reverse(w.orgId, coupon.id, record.id, { to: 'sent' })).toMatchObject({ ok: false, reason: 'not_redeemed' });
    expect(w.engine.reverse(w.orgId, other.id, record.id, { to: 'sent' })).toMatchObject({ ok: false, reason: 'not_found' });
    expect(w.engine.reverse(w.orgId, coupon.id, record.id, { to: 'opened' })).toMatchObject({ ok: false, reason: 'validation_failed' });
    expect(expectOk(w.engine.listCouponEvents(w.orgId, coupon.id, { outcome: 'not_redeemed' })).items).toHaveLength(1);
  });
});
