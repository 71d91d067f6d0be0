import { backends } from '@couponflow/db/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { couponInput, inTurn, expectOk, testWorld, type TestWorld } from './testing/testEngine';

let w: TestWorld;
afterEach(() => w.close());

describe.each(backends)('on %s', (backend) => {

  describe('creating a coupon', () => {
    it('answers the coupon in the input shape with id, status, timestamps and defaults', async () => {
      w = await testWorld(backend);
      const coupon = expectOk(await w.engine.createCoupon(w.orgId, couponInput({ totalLimit: 500 })));
      expect(coupon).toMatchObject({
        id: expect.stringMatching(/^cpn_/),
        name: 'Summer 10% off',
        code: { type: 'common', value: 'SUMMER10' },
        activePeriod: { startsAt: '2026-06-01T00:00:00.000Z', endsAt: '2026-09-01T00:00:00.000Z' },
        totalLimit: 500,
        perCustomerLimit: null,
        active: true,
        status: 'active',
        usageExpiry: { type: 'active_period' },
        redeemPage: { codeDisplay: 'text', redeemButton: { mode: 'click', label: 'Redeem' } },
      });
    });

    it('generates a common code when none is given', async () => {
      w = await testWorld(backend);
      const coupon = expectOk(await w.engine.createCoupon(w.orgId, couponInput({ code: { type: 'common' } })));
      expect(coupon.code).toEqual({ type: 'common', value: expect.stringMatching(/^[ABCDEFGHJKLMNPQRSTUVWXYZ23456789]{10}$/) });
    });

    it('refuses invalid fields with one detail per problem', async () => {
      w = await testWorld(backend);
      const result = await w.engine.createCoupon(w.orgId, {
        name: '',
        code: { type: 'common', value: 'a b' },
        activePeriod: { startsAt: '2026-06-01T00:00:00Z', endsAt: '2026-05-01T00:00:00Z' },
        totalLimit: 0,
        redeemPage: { campaignImageUrl: 'http://insecure.example/x.png' },
      });
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.reason).toBe('validation_failed');
      expect([...new Set(result.details!.map((d) => d.path))].sort()).toEqual(
        ['activePeriod.endsAt', 'code.value', 'name', 'redeemPage.campaignImageUrl', 'totalLimit'].sort(),
      );
    });

    it('refuses a code the chosen barcode cannot carry', async () => {
      w = await testWorld(backend);
      const lower = await w.engine.createCoupon(w.orgId, couponInput({ code: { type: 'common', value: 'summer10' }, redeemPage: { codeDisplay: 'code39' } }));
      expect(lower).toMatchObject({ ok: false, reason: 'validation_failed' });
      const letters = await w.engine.createCoupon(w.orgId, couponInput({ code: { type: 'unique' }, redeemPage: { codeDisplay: 'ean13' } }));
      expect(letters).toMatchObject({ ok: false, reason: 'validation_failed' });
      const digits = await w.engine.createCoupon(w.orgId, couponInput({ code: { type: 'unique', charset: 'numeric', length: 12 }, redeemPage: { codeDisplay: 'ean13' } }));
      expect(digits.ok).toBe(true);
    });

    it('refuses a common code already used in the organisation', async () => {
      w = await testWorld(backend);
      expectOk(await w.engine.createCoupon(w.orgId, couponInput()));
      expect(await w.engine.createCoupon(w.orgId, couponInput())).toMatchObject({ ok: false, reason: 'code_taken' });
    });
  });

  describe('changing a coupon', () => {
    it('may extend endsAt, and the records customers hold live longer', async () => {
      w = await testWorld(backend);
      const coupon = expectOk(await w.engine.createCoupon(w.orgId, couponInput()));
      const { record } = expectOk(await w.engine.distribute(w.orgId, { couponId: coupon.id, customerId: 'alice', inboxId: 'i', channel: 'webchat' }));
      const changed = expectOk(await w.engine.updateCoupon(w.orgId, coupon.id, { activePeriod: { startsAt: '2026-06-01T00:00:00Z', endsAt: '2026-10-01T00:00:00Z' } }));
      expect(changed.activePeriod.endsAt).toBe('2026-10-01T00:00:00.000Z');
      w.clock.set('2026-09-15T00:00:00Z');
      expect(expectOk(await w.engine.redeem(record.token)).expiresAt).toBe('2026-10-01T00:00:00.000Z');
    });

    it('never shortens endsAt, nor ends a coupon that had no end', async () => {
      w = await testWorld(backend);
      const coupon = expectOk(await w.engine.createCoupon(w.orgId, couponInput({ activePeriod: { startsAt: '2026-06-01T00:00:00Z', endsAt: null } })));
      expect(await w.engine.updateCoupon(w.orgId, coupon.id, { activePeriod: { startsAt: '2026-06-01T00:00:00Z', endsAt: '2030-01-01T00:00:00Z' } })).toMatchObject({
        ok: false,
        reason: 'ends_at_shortened',
      });
    });

    it('keeps the code settings: sending them back unchanged is fine, changing them is refused', async () => {
      w = await testWorld(backend);
      const coupon = expectOk(await w.engine.createCoupon(w.orgId, couponInput()));
      expect(await w.engine.updateCoupon(w.orgId, coupon.id, { ...coupon, name: 'Renamed' })).toMatchObject({ ok: true, value: { name: 'Renamed' } });
      expect(await w.engine.updateCoupon(w.orgId, coupon.id, { code: { type: 'common', value: 'OTHER123' } })).toMatchObject({ ok: false, reason: 'code_immutable' });
    });

    it('refuses switching to a barcode that cannot draw the codes already in the pool', async () => {
      w = await testWorld(backend);
      const coupon = expectOk(await w.engine.createCoupon(w.orgId, couponInput({ code: { type: 'unique' } })));
      expectOk(await w.engine.generateCodes(w.orgId, coupon.id, 3));
      expect((await w.engine.updateCoupon(w.orgId, coupon.id, { redeemPage: { codeDisplay: 'code128' } })).ok).toBe(true);
      expect(await w.engine.updateCoupon(w.orgId, coupon.id, { redeemPage: { codeDisplay: 'ean13' } })).toMatchObject({ ok: false, reason: 'validation_failed' });
    });

    it('lists coupons newest first, a page at a time', async () => {
      w = await testWorld(backend);
      const ids = await inTurn([1, 2, 3, 4, 5], async (n) => expectOk(await w.engine.createCoupon(w.orgId, couponInput({ name: `C${n}`, code: { type: 'common' } }))).id);
      const first = await w.engine.listCoupons(w.orgId, { limit: 3 });
      const second = await w.engine.listCoupons(w.orgId, { limit: 3, cursor: first.nextCursor! });
      expect([...first.items, ...second.items].map((c) => c.id)).toEqual([...ids].reverse());
      expect(second.nextCursor).toBeNull();
    });
  });
});
