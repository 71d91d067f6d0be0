import { afterEach, describe, expect, it } from 'vitest';
import { couponInput, expectOk, testWorld, type TestWorld } from './testing/testEngine';

let w: TestWorld;
afterEach(() => w.close());

const redeemFor = (couponId: string, customerId: string) =>
  expectOk(w.engine.redeem(expectOk(w.engine.distribute(w.orgId, { couponId, customerId, inboxId: 'i', channel: 'webchat' })).record.token));
const lowStockEvents = (couponId: string) => expectOk(w.engine.listCouponEvents(w.orgId, couponId, { action: 'low_stock' })).items;

describe('the low-stock signal', () => {
  it('says lowStock once the pool’s free codes fall below the threshold, and writes one event per crossing', async () => {
    w = testWorld();
    const coupon = expectOk(w.engine.createCoupon(w.orgId, couponInput({ code: { type: 'unique' }, lowStockThreshold: 2 })));
    expectOk(await w.engine.generateCodes(w.orgId, coupon.id, 4));
    redeemFor(coupon.id, 'a');
    redeemFor(coupon.id, 'b');
    expect(expectOk(w.engine.getCoupon(w.orgId, coupon.id))).toMatchObject({ stockLeft: 2, lowStock: false });
    redeemFor(coupon.id, 'c');
    expect(expectOk(w.engine.getCoupon(w.orgId, coupon.id))).toMatchObject({ stockLeft: 1, lowStock: true });
    redeemFor(coupon.id, 'd');
    expect(lowStockEvents(coupon.id)).toEqual([expect.objectContaining({ outcome: 'ok', detail: '1 left' })]);
    // refilled: the signal clears, and the next crossing writes a new event
    expectOk(await w.engine.generateCodes(w.orgId, coupon.id, 10));
    expect(expectOk(w.engine.getCoupon(w.orgId, coupon.id)).lowStock).toBe(false);
    for (const customer of ['e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm']) redeemFor(coupon.id, customer);
    expect(lowStockEvents(coupon.id)).toHaveLength(2);
  });

  it('watches the remaining totalLimit too, with a default threshold of 10% of it', () => {
    w = testWorld();
    const coupon = expectOk(w.engine.createCoupon(w.orgId, couponInput({ totalLimit: 20 })));
    for (let i = 0; i < 18; i++) redeemFor(coupon.id, `c${i}`);
    expect(expectOk(w.engine.getCoupon(w.orgId, coupon.id))).toMatchObject({ stockLeft: 2, lowStock: false });
    redeemFor(coupon.id, 'c18');
    expect(expectOk(w.engine.getCoupon(w.orgId, coupon.id))).toMatchObject({ stockLeft: 1, lowStock: true });
    expect(lowStockEvents(coupon.id)).toHaveLength(1);
  });

  it('is never low for a coupon without a pool or a totalLimit', () => {
    w = testWorld();
    const coupon = expectOk(w.engine.createCoupon(w.orgId, couponInput()));
    redeemFor(coupon.id, 'a');
    expect(expectOk(w.engine.getCoupon(w.orgId, coupon.id))).toMatchObject({ stockLeft: null, lowStock: false });
  });
});
