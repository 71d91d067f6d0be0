import { Readable } from 'node:stream';
import { backends } from '@couponflow/db/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { addContactTag } from './contactTags';
import { couponInput, expectOk, setOrgTimeZone, testWorld, type TestWorld } from './testing/testEngine';

let w: TestWorld;
afterEach(() => w.close());

describe.each(backends)('on %s', (backend) => {

  const offer = (couponId: string, customerId = 'alice', inboxId = 'inbox1') => ({ couponId, customerId, inboxId, channel: 'webchat' });
  const send = async (couponId: string, customerId = 'alice') => expectOk(await w.engine.distribute(w.orgId, offer(couponId, customerId))).record;
  const reason = (result: { ok: boolean; reason?: string }) => (result.ok ? 'ok' : result.reason);
  const setZone = (timeZone: string) => setOrgTimeZone(w, timeZone);

  describe('a redemption window (days and hours in the organisation’s time zone)', () => {
    it('sends the offer any time, but redeems only inside the window, and the page says when it opens', async () => {
      w = await testWorld(backend);
      await setZone('Asia/Tokyo'); // UTC+9
      const coupon = expectOk(
        await w.engine.createCoupon(w.orgId, couponInput({ redemptionWindow: { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '11:00', to: '14:00' } })),
      );
      // Saturday 2026-06-06 10:00 Tokyo
      w.clock.set('2026-06-06T01:00:00.000Z');
      const record = await send(coupon.id);
      expect(reason(await w.engine.redeem(record.token))).toBe('outside_redemption_window');
      const page = expectOk(await w.engine.open(record.token));
      expect(page).toMatchObject({ state: 'not_yet_redeemable', record: { status: 'opened' } });
      // next opening: Monday 2026-06-08 11:00 Tokyo = 02:00 UTC
      expect(page.redeemableFrom).toBe('2026-06-08T02:00:00.000Z');
      w.clock.set('2026-06-08T01:59:59.999Z');
      expect(reason(await w.engine.redeem(record.token))).toBe('outside_redemption_window');
      w.clock.set('2026-06-08T02:00:00.000Z');
      expect(reason(await w.engine.redeem(record.token))).toBe('ok');
    });

    it('closes at `to` (exclusive)', async () => {
      w = await testWorld(backend);
      const coupon = expectOk(await w.engine.createCoupon(w.orgId, couponInput({ redemptionWindow: { days: ['mon'], from: '09:00', to: '17:00' } })));
      w.clock.set('2026-06-08T16:59:59.999Z'); // a Monday, UTC
      expect(reason(await w.engine.redeem((await send(coupon.id, 'a')).token))).toBe('ok');
      w.clock.set('2026-06-08T17:00:00.000Z');
      expect(reason(await w.engine.redeem((await send(coupon.id, 'b')).token))).toBe('outside_redemption_window');
    });

    it('refuses a window whose end is not after its start, or an unknown day', async () => {
      w = await testWorld(backend);
      const bad = await w.engine.createCoupon(w.orgId, couponInput({ redemptionWindow: { days: ['mon'], from: '17:00', to: '09:00' } }));
      expect(bad).toMatchObject({ ok: false, reason: 'validation_failed', details: [{ path: 'redemptionWindow.to' }] });
      expect(await w.engine.createCoupon(w.orgId, couponInput({ redemptionWindow: { days: ['funday' as 'mon'] } }))).toMatchObject({ ok: false });
    });
  });

  describe('timing between offer and redemption', () => {
    it('redeems only N days after the offer was sent (not_yet_redeemable), the record stays held', async () => {
      w = await testWorld(backend);
      const coupon = expectOk(await w.engine.createCoupon(w.orgId, couponInput({ redeemableAfterDays: 2 })));
      const record = await send(coupon.id);
      expect(reason(await w.engine.redeem(record.token))).toBe('not_yet_redeemable');
      expect(expectOk(await w.engine.peek(record.token))).toMatchObject({ state: 'not_yet_redeemable', redeemableFrom: '2026-06-03T12:00:00.000Z', record: { status: 'sent' } });
      w.clock.set('2026-06-03T12:00:00.000Z');
      expect(reason(await w.engine.redeem(record.token))).toBe('ok');
    });

    it('keeps a minimum gap between one customer’s redemptions (redemption_too_soon), others unaffected', async () => {
      w = await testWorld(backend);
      const coupon = expectOk(await w.engine.createCoupon(w.orgId, couponInput({ minHoursBetweenRedemptions: 24 })));
      expectOk(await w.engine.redeem((await send(coupon.id)).token));
      const again = await send(coupon.id);
      expect(reason(await w.engine.redeem(again.token))).toBe('redemption_too_soon');
      expect(reason(await w.engine.redeem((await send(coupon.id, 'bob')).token))).toBe('ok');
      w.clock.advance(24 * 3600_000 - 1);
      expect(reason(await w.engine.redeem(again.token))).toBe('redemption_too_soon');
      w.clock.advance(1);
      expect(reason(await w.engine.redeem(again.token))).toBe('ok');
    });

    it('answers the limits before the timing: a coupon with nothing left says so, not "come back later"', async () => {
      w = await testWorld(backend);
      const coupon = expectOk(await w.engine.createCoupon(w.orgId, couponInput({ totalLimit: 1, redeemableAfterDays: 1 })));
      const [a, b] = [await send(coupon.id, 'a'), await send(coupon.id, 'b')];
      w.clock.advance(86_400_000);
      expectOk(await w.engine.redeem(a.token));
      expect(reason(await w.engine.redeem(b.token))).toBe('coupon_max_uses_reached');
    });
  });

  describe('an audience', () => {
    it('offers a tag-limited coupon only to contacts carrying the tag in that inbox', async () => {
      w = await testWorld(backend);
      const coupon = expectOk(await w.engine.createCoupon(w.orgId, couponInput({ audience: { type: 'tag', tag: 'vip' } })));
      await addContactTag(w.db, { orgId: w.orgId, inboxId: 'inbox1', customerId: 'alice' }, 'vip', w.clock.now());
      expect(reason(await w.engine.distribute(w.orgId, offer(coupon.id, 'alice')))).toBe('ok');
      expect(reason(await w.engine.distribute(w.orgId, offer(coupon.id, 'bob')))).toBe('customer_not_eligible');
      expect(reason(await w.engine.distribute(w.orgId, offer(coupon.id, 'alice', 'other-inbox')))).toBe('customer_not_eligible');
    });

    it('offers a list-limited coupon only to the uploaded customer ids, with a report of the upload', async () => {
      w = await testWorld(backend);
      const coupon = expectOk(await w.engine.createCoupon(w.orgId, couponInput({ audience: { type: 'list' } })));
      const report = expectOk(await w.engine.importAudience(w.orgId, coupon.id, Readable.from(['customer_id\nalice\ncarol\nalice\n\n' + 'x'.repeat(201) + '\n'])));
      expect(report).toEqual({
        added: 2,
        total: 2,
        rejectedCount: 2,
        rejected: [
          { line: 4, value: 'alice', reason: 'duplicate_in_file' },
          { line: 6, value: 'x'.repeat(100), reason: 'invalid_format' },
        ],
        rejectedByReason: { duplicate_in_file: 1, duplicate_existing: 0, invalid_format: 1 },
      });
      const again = expectOk(await w.engine.importAudience(w.orgId, coupon.id, Readable.from(['carol\ndave\n'])));
      expect(again).toMatchObject({ added: 1, total: 3, rejected: [{ line: 1, value: 'carol', reason: 'duplicate_existing' }] });
      expect(reason(await w.engine.distribute(w.orgId, offer(coupon.id, 'carol')))).toBe('ok');
      expect(reason(await w.engine.distribute(w.orgId, offer(coupon.id, 'bob')))).toBe('customer_not_eligible');
      expect(expectOk(await w.engine.clearAudience(w.orgId, coupon.id))).toEqual({ removed: 3 });
      expect(reason(await w.engine.distribute(w.orgId, offer(coupon.id, 'dave')))).toBe('customer_not_eligible');
    });

    it('says the coupon is over before it says the customer is not eligible', async () => {
      w = await testWorld(backend);
      const coupon = expectOk(await w.engine.createCoupon(w.orgId, couponInput({ audience: { type: 'list' }, active: false })));
      expect(reason(await w.engine.distribute(w.orgId, offer(coupon.id, 'bob')))).toBe('coupon_inactive');
    });
  });

  describe('issuing limits, apart from redemption limits', () => {
    it('issues at most maxIssuedPerCustomer records to one customer, however many they redeemed', async () => {
      w = await testWorld(backend);
      const coupon = expectOk(await w.engine.createCoupon(w.orgId, couponInput({ maxIssuedPerCustomer: 2 })));
      expectOk(await w.engine.redeem((await send(coupon.id)).token));
      const second = await send(coupon.id);
      // handing back the held offer issues nothing
      expect(expectOk(await w.engine.distribute(w.orgId, offer(coupon.id))).record.id).toBe(second.id);
      expectOk(await w.engine.redeem(second.token));
      expect(reason(await w.engine.distribute(w.orgId, offer(coupon.id)))).toBe('customer_max_issued_reached');
      expect(reason(await w.engine.distribute(w.orgId, offer(coupon.id, 'bob')))).toBe('ok');
    });

    it('issues at most maxIssuedTotal records overall, counted on the coupon', async () => {
      w = await testWorld(backend);
      const coupon = expectOk(await w.engine.createCoupon(w.orgId, couponInput({ maxIssuedTotal: 2 })));
      await send(coupon.id, 'a');
      await send(coupon.id, 'b');
      expect(reason(await w.engine.distribute(w.orgId, offer(coupon.id, 'c')))).toBe('coupon_max_issued_reached');
      expect(expectOk(await w.engine.getCoupon(w.orgId, coupon.id)).issuedCount).toBe(2);
      // nobody redeemed: redemption limits are another matter
      expect(expectOk(await w.engine.getCoupon(w.orgId, coupon.id)).redeemedCount).toBe(0);
    });
  });
});
