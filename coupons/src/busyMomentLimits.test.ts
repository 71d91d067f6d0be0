import { backends } from '@couponflow/db/testing';
import { afterEach, describe, expect, it } from 'vitest';
import type { Result } from './result';
import { couponInput, expectOk, testWorld, type TestWorld } from './testing/testEngine';

/**
 * Requests that arrive together share one SQLite commit, which adds their offers and redemptions to
 * the campaign's counters once, at its end. The limits must hold all the same: each request in the
 * batch counts the ones before it.
 */
describe.each(backends)('on %s, a busy moment at the limits', (backend) => {
  let world: TestWorld;
  afterEach(() => world.close());

  const reasons = <T>(results: Array<Result<T>>) => results.map((result) => (result.ok ? 'ok' : result.reason)).sort();
  const customers = Array.from({ length: 30 }, (_, i) => `customer-${i}`);

  it('30 customers redeeming a campaign limited to 10 at once: 10 redeem, 20 hear it is used up', async () => {
    world = await testWorld(backend);
    const { engine, orgId } = world;
    const coupon = expectOk(await engine.createCoupon(orgId, couponInput({ totalLimit: 10 })));
    const offers = await Promise.all(customers.map((customerId) => engine.distribute(orgId, { couponId: coupon.id, customerId, inboxId: 'shop', channel: 'web' })));
    const redemptions = await Promise.all(offers.map((offer) => engine.redeem(expectOk(offer).record.token)));

    expect(reasons(redemptions)).toEqual([...Array(20).fill('coupon_max_uses_reached'), ...Array(10).fill('ok')]);
    const after = expectOk(await engine.getCoupon(orgId, coupon.id));
    expect({ issued: after.issuedCount, redeemed: after.redeemedCount }).toEqual({ issued: 30, redeemed: 10 });
  });

  it('30 customers asking at once for a campaign that may issue 10 offers: 10 get one, 20 hear it is all given out', async () => {
    world = await testWorld(backend);
    const { engine, orgId } = world;
    const coupon = expectOk(await engine.createCoupon(orgId, couponInput({ maxIssuedTotal: 10 })));
    const offers = await Promise.all(customers.map((customerId) => engine.distribute(orgId, { couponId: coupon.id, customerId, inboxId: 'shop', channel: 'web' })));

    expect(reasons(offers)).toEqual([...Array(20).fill('coupon_max_issued_reached'), ...Array(10).fill('ok')]);
    expect(expectOk(await engine.getCoupon(orgId, coupon.id)).issuedCount).toBe(10);
  });
});
