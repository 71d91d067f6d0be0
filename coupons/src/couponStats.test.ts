import { backends } from '@couponflow/db/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { couponInput, expectOk, setOrgTimeZone, testWorld, type TestWorld } from './testing/testEngine';

let w: TestWorld;
afterEach(() => w.close());

describe.each(backends)('on %s', (backend) => {

  const send = async (couponId: string, customerId: string) =>
    expectOk(await w.engine.distribute(w.orgId, { couponId, customerId, inboxId: 'inbox1', channel: 'webchat' })).record;

  describe('the funnel', () => {
    it('counts every step a record reached: after a verify, redeemed 1 and verified 1', async () => {
      w = await testWorld(backend);
      const coupon = expectOk(await w.engine.createCoupon(w.orgId, couponInput()));
      const record = await send(coupon.id, 'alice');
      expectOk(await w.engine.redeem(record.token));
      expectOk(await w.engine.verify(w.orgId, { redemptionId: record.id }));
      expect(expectOk(await w.engine.stats(w.orgId, coupon.id))).toEqual({ sent: 1, opened: 1, redeemed: 1, verified: 1, expired: 0, revoked: 0 });
    });

    it('comes with every coupon of a list, no extra call', async () => {
      w = await testWorld(backend);
      const a = expectOk(await w.engine.createCoupon(w.orgId, couponInput({ code: { type: 'common', value: 'AAAA-1' } })));
      const b = expectOk(await w.engine.createCoupon(w.orgId, couponInput({ code: { type: 'common', value: 'BBBB-1' } })));
      expectOk(await w.engine.open((await send(a.id, 'x')).token));
      await send(a.id, 'y');
      expectOk(await w.engine.redeem((await send(b.id, 'z')).token));
      const listed = (await w.engine.listCoupons(w.orgId)).items;
      expect(Object.fromEntries(listed.map((c) => [c.id, c.funnel]))).toEqual({
        [a.id]: { sent: 2, opened: 1, redeemed: 0, verified: 0, expired: 0, revoked: 0 },
        [b.id]: { sent: 1, opened: 1, redeemed: 1, verified: 0, expired: 0, revoked: 0 },
      });
      expect(expectOk(await w.engine.getCoupon(w.orgId, a.id)).funnel.sent).toBe(2);
    });
  });

  describe('the daily series', () => {
    it('cuts days in the organisation’s time zone', async () => {
      w = await testWorld(backend);
      await setOrgTimeZone(w, 'America/New_York'); // UTC-4 in June
      const coupon = expectOk(await w.engine.createCoupon(w.orgId, couponInput()));
      w.clock.set('2026-06-02T03:59:00.000Z'); // June 1st, 23:59 in New York
      const late = await send(coupon.id, 'a');
      w.clock.set('2026-06-02T04:00:00.000Z'); // June 2nd, 00:00
      await send(coupon.id, 'b');
      expectOk(await w.engine.redeem(late.token));
      const stats = expectOk(await w.engine.stats(w.orgId, coupon.id, { groupBy: 'day', from: '2026-06-01', to: '2026-06-03' }));
      expect(stats.timeZone).toBe('America/New_York');
      expect(stats.series).toEqual([
        { date: '2026-06-01', sent: 1, opened: 0, redeemed: 0, verified: 0, expired: 0, revoked: 0 },
        { date: '2026-06-02', sent: 1, opened: 1, redeemed: 1, verified: 0, expired: 0, revoked: 0 },
        { date: '2026-06-03', sent: 0, opened: 0, redeemed: 0, verified: 0, expired: 0, revoked: 0 },
      ]);
      expect(stats).toMatchObject({ sent: 2, redeemed: 1 });
    });

    it('handles a zone half an hour off UTC, and refuses a range over 366 days or backwards', async () => {
      w = await testWorld(backend);
      await setOrgTimeZone(w, 'Asia/Kolkata'); // UTC+5:30
      const coupon = expectOk(await w.engine.createCoupon(w.orgId, couponInput()));
      w.clock.set('2026-06-01T18:29:59.999Z'); // 23:59:59.999 in Kolkata
      await send(coupon.id, 'a');
      w.clock.set('2026-06-01T18:30:00.000Z'); // midnight
      await send(coupon.id, 'b');
      const series = expectOk(await w.engine.stats(w.orgId, coupon.id, { groupBy: 'day', from: '2026-06-01', to: '2026-06-02' })).series!;
      expect(series.map((d) => [d.date, d.sent])).toEqual([
        ['2026-06-01', 1],
        ['2026-06-02', 1],
      ]);
      expect(await w.engine.stats(w.orgId, coupon.id, { groupBy: 'day', from: '2025-01-01', to: '2026-06-02' })).toMatchObject({ ok: false, reason: 'validation_failed' });
      expect(await w.engine.stats(w.orgId, coupon.id, { groupBy: 'day', from: '2026-06-03', to: '2026-06-02' })).toMatchObject({ ok: false, reason: 'validation_failed' });
    });
  });

  describe('the audit trail of a coupon', () => {
    it('lists every attempt with its outcome, filtered by outcome and customer, a page at a time', async () => {
      w = await testWorld(backend);
      const coupon = expectOk(await w.engine.createCoupon(w.orgId, couponInput({ perCustomerLimit: 1 })));
      expectOk(await w.engine.redeem((await send(coupon.id, 'alice')).token));
      for (let i = 0; i < 3; i++) await w.engine.distribute(w.orgId, { couponId: coupon.id, customerId: 'alice', inboxId: 'inbox1', channel: 'webchat' });
      await send(coupon.id, 'bob');
      const refused = expectOk(await w.engine.listCouponEvents(w.orgId, coupon.id, { outcome: 'customer_max_uses_reached', limit: 2 }));
      expect(refused.items).toHaveLength(2);
      expect(refused.items[0]).toMatchObject({ action: 'distribute', customerId: 'alice', outcome: 'customer_max_uses_reached' });
      const rest = expectOk(await w.engine.listCouponEvents(w.orgId, coupon.id, { outcome: 'customer_max_uses_reached', cursor: refused.nextCursor! }));
      expect(rest).toMatchObject({ items: [{ outcome: 'customer_max_uses_reached' }], nextCursor: null });
      expect(expectOk(await w.engine.listCouponEvents(w.orgId, coupon.id, { customerId: 'bob' })).items).toEqual([
        expect.objectContaining({ action: 'distribute', outcome: 'ok', customerId: 'bob' }),
      ]);
      expect(await w.engine.listCouponEvents('org_other', coupon.id, {})).toMatchObject({ ok: false, reason: 'coupon_not_found' });
    });

    it('exports as CSV with every cell that a spreadsheet would run as a formula escaped, like the records export', async () => {
      w = await testWorld(backend);
      const coupon = expectOk(await w.engine.createCoupon(w.orgId, couponInput()));
      for (const customer of ['=HYPERLINK("http://evil")', '+1', '-2', '@SUM(A1)', '\tTAB', '\rCR', 'plain']) await send(coupon.id, customer);
      const read = async (stream: AsyncIterable<Buffer | string>) => {
        let text = '';
        for await (const chunk of stream) text += chunk;
        return text;
      };
      for (const csv of [
        await read(expectOk(await w.engine.exportEventsCsv(w.orgId, coupon.id, {}))),
        await read(expectOk(await w.engine.exportRecordsCsv(w.orgId, coupon.id, {}))),
      ]) {
        expect(csv).toContain(`"'=HYPERLINK(""http://evil"")"`);
        for (const cell of ["'+1", "'-2", "'@SUM(A1)", "'\tTAB", "'\rCR", ',plain,']) expect(csv).toContain(cell);
        expect(csv).not.toMatch(/(^|,)[=+\-@]/m);
      }
    });
  });
});
