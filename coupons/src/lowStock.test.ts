import { backends } from '@couponflow/db/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { couponInput, expectOk, testWorld, type TestWorld } from './testing/testEngine';

let w: TestWorld;
afterEach(() => w.close());

describe.each(backends)('on %s', (backend) => {

  const redeemFor = async (couponId: string, customerId: string) =>
    expectOk(await w.engine.redeem(expectOk(await w.engine.distribute(w.orgId, { couponId, customerId, inboxId: 'i', channel: 'webchat' })).record.token));
  const lowStockEvents = async (couponId: string) => expectOk(await w.engine.listCouponEvents(w.orgId, couponId, { action: 'low_stock' })).items;

  describe('the low-stock signal', () => {
    it('says lowStock once the pool’s free codes fall below the threshold, and writes one event per crossing', async () => {
      w = await testWorld(backend);
      const coupon = expectOk(await w.engine.createCoupon(w.orgId, couponInput({ code: { type: 'unique' }, lowStockThreshold: 2 })));
      expectOk(await w.engine.generateCodes(w.orgId, coupon.id, 4));
      await redeemFor(coupon.id, 'a');
      await redeemFor(coupon.id, 'b');
      expect(expectOk(await w.engine.getCoupon(w.orgId, coupon.id))).toMatchObject({ stockLeft: 2, lowStock: false });
      await redeemFor(coupon.id, 'c');
      expect(expectOk(await w.engine.getCoupon(w.orgId, coupon.id))).toMatchObject({ stockLeft: 1, lowStock: true });
      await redeemFor(coupon.id, 'd');
      expect(await lowStockEvents(coupon.id)).toEqual([expect.objectContaining({ outcome: 'ok', detail: '1 left' })]);
      // refilled: the signal clears, and the next crossing writes a new event
      expectOk(await w.engine.generateCodes(w.orgId, coupon.id, 10));
      expect(expectOk(await w.engine.getCoupon(w.orgId, coupon.id)).lowStock).toBe(false);
      for (const customer of ['e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm']) await redeemFor(coupon.id, customer);
      expect(await lowStockEvents(coupon.id)).toHaveLength(2);
    });

    it('watches the remaining totalLimit too, with a default threshold of 10% of it', async () => {
      w = await testWorld(backend);
      const coupon = expectOk(await w.engine.createCoupon(w.orgId, couponInput({ totalLimit: 20 })));
      for (let i = 0; i < 18; i++) await redeemFor(coupon.id, `c${i}`);
      expect(expectOk(await w.engine.getCoupon(w.orgId, coupon.id))).toMatchObject({ stockLeft: 2, lowStock: false });
      await redeemFor(coupon.id, 'c18');
      expect(expectOk(await w.engine.getCoupon(w.orgId, coupon.id))).toMatchObject({ stockLeft: 1, lowStock: true });
      expect(await lowStockEvents(coupon.id)).toHaveLength(1);
    });

    it('is never low for a coupon without a pool or a totalLimit', async () => {
      w = await testWorld(backend);
      const coupon = expectOk(await w.engine.createCoupon(w.orgId, couponInput()));
      await redeemFor(coupon.id, 'a');
      expect(expectOk(await w.engine.getCoupon(w.orgId, coupon.id))).toMatchObject({ stockLeft: null, lowStock: false });
    });
  });
});
