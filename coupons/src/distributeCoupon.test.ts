import { writeTransaction } from '@couponflow/db';
import { backends } from '@couponflow/db/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { contactTagList } from './contactTags';
import { couponInput, expectOk, testWorld, type TestWorld } from './testing/testEngine';

let w: TestWorld;
afterEach(() => w.close());

describe.each(backends)('on %s', (backend) => {

  const offer = (couponId: string, customerId = 'alice', extra: Record<string, string> = {}) => ({
    couponId,
    customerId,
    inboxId: 'inbox1',
    channel: 'webchat',
    ...extra,
  });

  async function reasonFor(input: Parameters<typeof couponInput>[0], customerId = 'alice') {
    w = await testWorld(backend);
    const coupon = expectOk(await w.engine.createCoupon(w.orgId, couponInput(input)));
    const result = await w.engine.distribute(w.orgId, offer(coupon.id, customerId));
    return result.ok ? 'ok' : result.reason;
  }

  describe('distributing a coupon', () => {
    it('makes a sent record with an unguessable token for a customer', async () => {
      w = await testWorld(backend);
      const coupon = expectOk(await w.engine.createCoupon(w.orgId, couponInput()));
      const { record, created } = expectOk(await w.engine.distribute(w.orgId, offer(coupon.id)));
      expect(created).toBe(true);
      expect(record).toMatchObject({ status: 'sent', customerId: 'alice', code: null, couponId: coupon.id });
      expect(Buffer.from(record.token, 'base64url').length * 8).toBeGreaterThanOrEqual(128);
    });

    it('works from the very millisecond the coupon starts', async () => {
      w = await testWorld(backend);
      w.clock.set('2026-06-01T00:00:00.000Z');
      const coupon = expectOk(await w.engine.createCoupon(w.orgId, couponInput()));
      expect((await w.engine.distribute(w.orgId, offer(coupon.id))).ok).toBe(true);
    });

    it('refuses one millisecond before the start as coupon_not_started', async () => {
      w = await testWorld(backend);
      w.clock.set('2026-05-31T23:59:59.999Z');
      const coupon = expectOk(await w.engine.createCoupon(w.orgId, couponInput()));
      expect(await w.engine.distribute(w.orgId, offer(coupon.id))).toMatchObject({ ok: false, reason: 'coupon_not_started' });
    });

    it('refuses a coupon that ended a millisecond ago as coupon_expired, and still works on its last millisecond', async () => {
      w = await testWorld(backend);
      const coupon = expectOk(await w.engine.createCoupon(w.orgId, couponInput()));
      w.clock.set('2026-08-31T23:59:59.999Z');
      expect((await w.engine.distribute(w.orgId, offer(coupon.id, 'last-ms'))).ok).toBe(true);
      w.clock.set('2026-09-01T00:00:00.001Z');
      expect(await w.engine.distribute(w.orgId, offer(coupon.id, 'too-late'))).toMatchObject({ ok: false, reason: 'coupon_expired' });
    });

    it('never ends when endsAt is null', async () => {
      w = await testWorld(backend);
      const coupon = expectOk(await w.engine.createCoupon(w.orgId, couponInput({ activePeriod: { startsAt: '2026-01-01T00:00:00Z', endsAt: null } })));
      w.clock.set('2099-01-01T00:00:00Z');
      expect((await w.engine.distribute(w.orgId, offer(coupon.id))).ok).toBe(true);
    });

    it('refuses an inactive coupon as coupon_inactive', async () => {
      expect(await reasonFor({ active: false })).toBe('coupon_inactive');
    });

    it('answers the first failing rule in the order of SPEC §2.4', async () => {
      // inactive and not started: inactive comes first
      expect(await reasonFor({ active: false, activePeriod: { startsAt: '2027-01-01T00:00:00Z' } })).toBe('coupon_inactive');
      // not started comes before any limit
      expect(await reasonFor({ activePeriod: { startsAt: '2027-01-01T00:00:00Z' }, code: { type: 'unique' } })).toBe('coupon_not_started');
      // an empty pool with an ended period: expired first
      expect(await reasonFor({ activePeriod: { startsAt: '2026-01-01T00:00:00Z', endsAt: '2026-02-01T00:00:00Z' }, code: { type: 'unique' } })).toBe('coupon_expired');
    });

    it('refuses when the customer already redeemed perCustomerLimit times, before the overall limit', async () => {
      w = await testWorld(backend);
      const coupon = expectOk(await w.engine.createCoupon(w.orgId, couponInput({ perCustomerLimit: 1, totalLimit: 1 })));
      expectOk(await w.engine.redeem(expectOk(await w.engine.distribute(w.orgId, offer(coupon.id))).record.token));
      expect(await w.engine.distribute(w.orgId, offer(coupon.id))).toMatchObject({ ok: false, reason: 'customer_max_uses_reached' });
      expect(await w.engine.distribute(w.orgId, offer(coupon.id, 'bob'))).toMatchObject({ ok: false, reason: 'coupon_max_uses_reached' });
    });

    it('refuses a unique coupon whose pool is empty as coupon_max_uses_reached', async () => {
      expect(await reasonFor({ code: { type: 'unique' } })).toBe('coupon_max_uses_reached');
    });

    it('refuses a revoked coupon before anything else', async () => {
      w = await testWorld(backend);
      const coupon = expectOk(await w.engine.createCoupon(w.orgId, couponInput({ active: false })));
      expectOk(await w.engine.revoke(w.orgId, coupon.id, { scope: 'coupon' }));
      expect(await w.engine.distribute(w.orgId, offer(coupon.id))).toMatchObject({ ok: false, reason: 'coupon_revoked' });
    });

    it('returns the existing record for a repeated idempotency key and creates nothing', async () => {
      w = await testWorld(backend);
      const coupon = expectOk(await w.engine.createCoupon(w.orgId, couponInput()));
      const first = expectOk(await w.engine.distribute(w.orgId, offer(coupon.id, 'alice', { idempotencyKey: 'run1:n1' })));
      const again = expectOk(await w.engine.distribute(w.orgId, offer(coupon.id, 'alice', { idempotencyKey: 'run1:n1' })));
      expect(again).toEqual({ record: first.record, created: false });
      expect(expectOk(await w.engine.stats(w.orgId, coupon.id)).sent).toBe(1);
    });

    it('hands a customer who holds an unredeemed record that same record again', async () => {
      w = await testWorld(backend);
      const coupon = expectOk(await w.engine.createCoupon(w.orgId, couponInput()));
      const first = expectOk(await w.engine.distribute(w.orgId, offer(coupon.id, 'alice', { idempotencyKey: 'run1:n1' })));
      const second = expectOk(await w.engine.distribute(w.orgId, offer(coupon.id, 'alice', { idempotencyKey: 'run2:n1' })));
      expect(second.created).toBe(false);
      expect(second.record.token).toBe(first.record.token);
    });

    it('makes a new record once the held one expired (days after sent)', async () => {
      w = await testWorld(backend);
      const coupon = expectOk(await w.engine.createCoupon(w.orgId, couponInput({ usageExpiry: { type: 'days_after_sent', days: 1 } })));
      const first = expectOk(await w.engine.distribute(w.orgId, offer(coupon.id)));
      w.clock.advance(24 * 3600_000);
      const second = expectOk(await w.engine.distribute(w.orgId, offer(coupon.id)));
      expect(second.created).toBe(true);
      expect(second.record.token).not.toBe(first.record.token);
      expect(expectOk(await w.engine.stats(w.orgId, coupon.id))).toMatchObject({ sent: 2, expired: 1 });
    });

    it('answers coupon_not_found for another organisation’s coupon', async () => {
      w = await testWorld(backend);
      const coupon = expectOk(await w.engine.createCoupon(w.orgId, couponInput()));
      expect(await w.engine.distribute('org_other', offer(coupon.id))).toMatchObject({ ok: false, reason: 'coupon_not_found' });
    });

    it('tags the contact when the coupon is sent', async () => {
      w = await testWorld(backend);
      const coupon = expectOk(await w.engine.createCoupon(w.orgId, couponInput({ contactTags: { onSent: 'got-summer' } })));
      expectOk(await w.engine.distribute(w.orgId, offer(coupon.id)));
      expect(await contactTagList(w.db, { orgId: w.orgId, inboxId: 'inbox1', customerId: 'alice' })).toEqual(['got-summer']);
    });

    it('keeps every refused attempt in the audit trail', async () => {
      w = await testWorld(backend);
      const coupon = expectOk(await w.engine.createCoupon(w.orgId, couponInput({ active: false })));
      await w.engine.distribute(w.orgId, offer(coupon.id));
      expect((await w.engine.listEvents(w.orgId, { couponId: coupon.id })).items).toEqual([
        expect.objectContaining({ action: 'distribute', outcome: 'coupon_inactive', customerId: 'alice' }),
      ]);
    });

    it('inside a caller’s transaction (a flow step) commits with it, or not at all', async () => {
      w = await testWorld(backend);
      const coupon = expectOk(await w.engine.createCoupon(w.orgId, couponInput({ totalLimit: 5 })));
      await expect(
        writeTransaction(w.db, async (tx) => {
          expectOk(await w.engine.within(tx).distribute(w.orgId, offer(coupon.id, 'bob')));
          throw new Error('the step failed after the offer');
        }),
      ).rejects.toThrow('the step failed');
      expect(expectOk(await w.engine.getCoupon(w.orgId, coupon.id)).issuedCount).toBe(0);
      const kept = await writeTransaction(w.db, async (tx) => expectOk(await w.engine.within(tx).distribute(w.orgId, offer(coupon.id, 'bob'))));
      expect(expectOk(await w.engine.listRecords(w.orgId, coupon.id, {})).items.map((r) => r.id)).toEqual([kept.record.id]);
    });
  });
});
