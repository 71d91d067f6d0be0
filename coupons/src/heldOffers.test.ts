import { afterEach, describe, expect, it } from 'vitest';
import { heldOffers, offerState } from './heldOffers';
import { couponInput, createOrg, expectOk, testWorld, type TestWorld } from './testing/testEngine';

let w: TestWorld;
afterEach(() => w.close());

describe('offers customers are waiting on', () => {
  it('lists the coupon’s sent and opened records, optionally only some customers’, never another organisation’s', () => {
    w = testWorld();
    const coupon = expectOk(w.engine.createCoupon(w.orgId, couponInput()));
    const send = (customerId: string) => expectOk(w.engine.distribute(w.orgId, { couponId: coupon.id, customerId, inboxId: 'inbox1', channel: 'line' })).record;
    const [ann, bob, cat] = [send('ann'), send('bob'), send('cat')];
    expectOk(w.engine.open(bob!.token));
    expectOk(w.engine.redeem(cat!.token));
    const ids = (offers: { recordId: string }[]) => offers.map((o) => o.recordId).sort();
    expect(ids(heldOffers(w.db, w.orgId, coupon.id))).toEqual([ann!.id, bob!.id].sort());
    expect(heldOffers(w.db, w.orgId, coupon.id, ['bob', 'cat'])).toEqual([{ recordId: bob!.id, inboxId: 'inbox1', customerId: 'bob' }]);
    expect(heldOffers(w.db, createOrg(w.db, 'Other shop'), coupon.id)).toEqual([]);
  });

  it('says why an offer ended, in rule order, or that it is open until its expiry', () => {
    w = testWorld();
    const coupon = expectOk(w.engine.createCoupon(w.orgId, couponInput({ activePeriod: { startsAt: '2026-01-01T00:00:00.000Z', endsAt: '2026-09-01T00:00:00.000Z' } })));
    const record = expectOk(w.engine.distribute(w.orgId, { couponId: coupon.id, customerId: 'ann', inboxId: 'inbox1', channel: 'line' })).record;
    const at = (iso: string) => offerState(w.db, w.orgId, record.id, new Date(iso));
    expect(at('2026-08-31T23:59:59.999Z')).toEqual({ state: 'open', expiresAt: new Date('2026-09-01T00:00:00.000Z') });
    expect(at('2026-09-01T00:00:00.000Z')).toEqual({ state: 'ended', reason: 'coupon_expired' });
    expectOk(w.engine.updateCoupon(w.orgId, coupon.id, { active: false }));
    expect(at('2026-09-01T00:00:00.000Z')).toEqual({ state: 'ended', reason: 'coupon_inactive' });
    expectOk(w.engine.revoke(w.orgId, coupon.id, { scope: 'coupon' }));
    expect(at('2026-06-02T00:00:00.000Z')).toEqual({ state: 'ended', reason: 'coupon_revoked' });
    expect(offerState(w.db, createOrg(w.db, 'Other shop'), record.id, new Date())).toEqual({ state: 'missing' });
  });

  it('an offer with a usage expiry ends then, before the period does', () => {
    w = testWorld();
    const coupon = expectOk(w.engine.createCoupon(w.orgId, couponInput({ usageExpiry: { type: 'days_after_sent', days: 2 } })));
    const record = expectOk(w.engine.distribute(w.orgId, { couponId: coupon.id, customerId: 'ann', inboxId: 'inbox1', channel: 'line' })).record;
    const sentAt = Date.parse(record.sentAt);
    expect(offerState(w.db, w.orgId, record.id, new Date(sentAt))).toEqual({ state: 'open', expiresAt: new Date(sentAt + 2 * 86_400_000) });
    expect(offerState(w.db, w.orgId, record.id, new Date(sentAt + 2 * 86_400_000))).toEqual({ state: 'ended', reason: 'coupon_expired' });
  });
});
