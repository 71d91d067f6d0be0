import { backends } from '@couponflow/db/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { heldOffers, offerState } from './heldOffers';
import { couponInput, createOrg, expectOk, testWorld, type TestWorld } from './testing/testEngine';

let w: TestWorld;
afterEach(() => w.close());

describe.each(backends)('on %s', (backend) => {

  describe('offers customers are waiting on', () => {
    it('lists the coupon’s sent and opened records, optionally only some customers’, never another organisation’s', async () => {
      w = await testWorld(backend);
      const coupon = expectOk(await w.engine.createCoupon(w.orgId, couponInput()));
      const send = async (customerId: string) => expectOk(await w.engine.distribute(w.orgId, { couponId: coupon.id, customerId, inboxId: 'inbox1', channel: 'line' })).record;
      const [ann, bob, cat] = [await send('ann'), await send('bob'), await send('cat')];
      expectOk(await w.engine.open(bob!.token));
      expectOk(await w.engine.redeem(cat!.token));
      const ids = (offers: { recordId: string }[]) => offers.map((o) => o.recordId).sort();
      expect(ids(await heldOffers(w.db, w.orgId, coupon.id))).toEqual([ann!.id, bob!.id].sort());
      expect(await heldOffers(w.db, w.orgId, coupon.id, ['bob', 'cat'])).toEqual([{ recordId: bob!.id, inboxId: 'inbox1', customerId: 'bob' }]);
      expect(await heldOffers(w.db, await createOrg(w.db, 'Other shop'), coupon.id)).toEqual([]);
    });

    it('says why an offer ended, in rule order, or that it is open until its expiry', async () => {
      w = await testWorld(backend);
      const coupon = expectOk(await w.engine.createCoupon(w.orgId, couponInput({ activePeriod: { startsAt: '2026-01-01T00:00:00.000Z', endsAt: '2026-09-01T00:00:00.000Z' } })));
      const record = expectOk(await w.engine.distribute(w.orgId, { couponId: coupon.id, customerId: 'ann', inboxId: 'inbox1', channel: 'line' })).record;
      const at = async (iso: string) => await offerState(w.db, w.orgId, record.id, new Date(iso));
      expect(await at('2026-08-31T23:59:59.999Z')).toEqual({ state: 'open', expiresAt: new Date('2026-09-01T00:00:00.000Z') });
      expect(await at('2026-09-01T00:00:00.000Z')).toEqual({ state: 'ended', reason: 'coupon_expired' });
      expectOk(await w.engine.updateCoupon(w.orgId, coupon.id, { active: false }));
      expect(await at('2026-09-01T00:00:00.000Z')).toEqual({ state: 'ended', reason: 'coupon_inactive' });
      expectOk(await w.engine.revoke(w.orgId, coupon.id, { scope: 'coupon' }));
      expect(await at('2026-06-02T00:00:00.000Z')).toEqual({ state: 'ended', reason: 'coupon_revoked' });
      expect(await offerState(w.db, await createOrg(w.db, 'Other shop'), record.id, new Date())).toEqual({ state: 'missing' });
    });

    it('an offer with a usage expiry ends then, before the period does', async () => {
      w = await testWorld(backend);
      const coupon = expectOk(await w.engine.createCoupon(w.orgId, couponInput({ usageExpiry: { type: 'days_after_sent', days: 2 } })));
      const record = expectOk(await w.engine.distribute(w.orgId, { couponId: coupon.id, customerId: 'ann', inboxId: 'inbox1', channel: 'line' })).record;
      const sentAt = Date.parse(record.sentAt);
      expect(await offerState(w.db, w.orgId, record.id, new Date(sentAt))).toEqual({ state: 'open', expiresAt: new Date(sentAt + 2 * 86_400_000) });
      expect(await offerState(w.db, w.orgId, record.id, new Date(sentAt + 2 * 86_400_000))).toEqual({ state: 'ended', reason: 'coupon_expired' });
    });
  });
});
