import { backends } from '@couponflow/db/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { couponInput, expectOk, testWorld, type TestWorld } from './testing/testEngine';

let w: TestWorld;
afterEach(() => w.close());

describe.each(backends)('on %s', (backend) => {

  const send = async (couponId: string, customerId = 'alice') =>
    expectOk(await w.engine.distribute(w.orgId, { couponId, customerId, inboxId: 'inbox1', channel: 'webchat' })).record;

  describe('reversing a redemption (a returned order)', () => {
    it('puts the record back to sent: the limits count it no more and the customer may redeem again, with a fresh code', async () => {
      w = await testWorld(backend);
      const coupon = expectOk(await w.engine.createCoupon(w.orgId, couponInput({ code: { type: 'unique' }, perCustomerLimit: 1, totalLimit: 1 })));
      expectOk(await w.engine.generateCodes(w.orgId, coupon.id, 3));
      const record = await send(coupon.id);
      const bob = await send(coupon.id, 'bob');
      const first = expectOk(await w.engine.redeem(record.token));
      expectOk(await w.engine.verify(w.orgId, { code: first.code }));
      expect(await w.engine.redeem(bob.token)).toMatchObject({ ok: false, reason: 'coupon_max_uses_reached' });

      const reversed = expectOk(await w.engine.reverse(w.orgId, coupon.id, record.id, { to: 'sent' }));
      expect(reversed).toMatchObject({ status: 'sent', code: null, redeemedAt: null, verifiedAt: null, reversedAt: w.clock.now().toISOString() });
      expect(expectOk(await w.engine.getCoupon(w.orgId, coupon.id))).toMatchObject({ redeemedCount: 0, stockLeft: 1 });

      const again = expectOk(await w.engine.redeem(record.token));
      // the returned code was retired: it is neither handed out again nor verifiable
      expect(again.code).not.toBe(first.code);
      expect(await w.engine.verify(w.orgId, { code: first.code })).toMatchObject({ ok: false, reason: 'not_found' });
      const events = expectOk(await w.engine.listCouponEvents(w.orgId, coupon.id, { action: 'reverse' })).items;
      expect(events).toEqual([expect.objectContaining({ outcome: 'ok', recordId: record.id, customerId: 'alice', detail: `to sent; code ${first.code} retired` })]);
    });

    it('or revokes it for good', async () => {
      w = await testWorld(backend);
      const coupon = expectOk(await w.engine.createCoupon(w.orgId, couponInput({ totalLimit: 5 })));
      const record = await send(coupon.id);
      expectOk(await w.engine.redeem(record.token));
      expect(expectOk(await w.engine.reverse(w.orgId, coupon.id, record.id, { to: 'revoked' }))).toMatchObject({ status: 'revoked', code: null });
      expect(await w.engine.redeem(record.token)).toMatchObject({ ok: false, reason: 'coupon_revoked' });
      expect(expectOk(await w.engine.stats(w.orgId, coupon.id))).toMatchObject({ sent: 1, redeemed: 0, revoked: 1 });
    });

    it('refuses a record that was never redeemed (not_redeemed, audited), and another coupon’s record (not_found)', async () => {
      w = await testWorld(backend);
      const coupon = expectOk(await w.engine.createCoupon(w.orgId, couponInput()));
      const other = expectOk(await w.engine.createCoupon(w.orgId, couponInput({ code: { type: 'common', value: 'OTHER-1' } })));
      const record = await send(coupon.id);
      expect(await w.engine.reverse(w.orgId, coupon.id, record.id, { to: 'sent' })).toMatchObject({ ok: false, reason: 'not_redeemed' });
      expect(await w.engine.reverse(w.orgId, other.id, record.id, { to: 'sent' })).toMatchObject({ ok: false, reason: 'not_found' });
      expect(await w.engine.reverse(w.orgId, coupon.id, record.id, { to: 'opened' })).toMatchObject({ ok: false, reason: 'validation_failed' });
      expect(expectOk(await w.engine.listCouponEvents(w.orgId, coupon.id, { outcome: 'not_redeemed' })).items).toHaveLength(1);
    });
  });
});
