import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectDatabase } from '@couponflow/db';
import { backends } from '@couponflow/db/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createCouponEngine } from './couponEngine';
import { couponInput, expectOk, testWorld, type TestWorld } from './testing/testEngine';

// Distribute and redeem keep a coupon's settings per version (updatedAt) and read only its counters.
let w: TestWorld;
let dir: string | undefined;
afterEach(async () => {
  await w.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe.each(backends)('on %s', (backend) => {
  it('a setting changed within the same millisecond as the last one reaches the next offer and redemption', async () => {
    w = await testWorld(backend);
    // The clock never moves in this story.
    const coupon = expectOk(await w.engine.createCoupon(w.orgId, couponInput()));
    const offer = (customerId: string) => w.engine.distribute(w.orgId, { couponId: coupon.id, customerId, inboxId: 'inbox1', channel: 'line' });
    const alice = expectOk(await offer('alice')).record;

    expectOk(await w.engine.updateCoupon(w.orgId, coupon.id, { active: false }));
    expect(await offer('bob')).toMatchObject({ ok: false, reason: 'coupon_inactive' });
    expect(await w.engine.redeem(alice.token)).toMatchObject({ ok: false, reason: 'coupon_inactive' });

    expectOk(await w.engine.updateCoupon(w.orgId, coupon.id, { active: true, totalLimit: 1 }));
    const bob = expectOk(await offer('bob')).record;
    expectOk(await w.engine.redeem(alice.token));
    expect(await w.engine.redeem(bob.token)).toMatchObject({ ok: false, reason: 'coupon_max_uses_reached' });

    expectOk(await w.engine.revoke(w.orgId, coupon.id, { scope: 'coupon' }));
    expect(await offer('carol')).toMatchObject({ ok: false, reason: 'coupon_revoked' });
  });

  it('a setting another process changed reaches this one’s next offer', async () => {
    dir = mkdtempSync(join(tmpdir(), 'couponflow-settings-'));
    w = await testWorld(backend, `file:${join(dir, 'shop.db')}`);
    const coupon = expectOk(await w.engine.createCoupon(w.orgId, couponInput({ perCustomerLimit: 5 })));
    const offer = (customerId: string) => w.engine.distribute(w.orgId, { couponId: coupon.id, customerId, inboxId: 'inbox1', channel: 'line' });
    expectOk(await offer('alice'));

    // Another server process: its own connection (or pool) to the same database, at the same moment.
    const other = await connectDatabase({ url: w.url, migrate: false });
    try {
      expectOk(await createCouponEngine({ db: other.db, now: w.clock.now }).updateCoupon(w.orgId, coupon.id, { active: false }));
    } finally {
      await other.close();
    }
    expect(await offer('bob')).toMatchObject({ ok: false, reason: 'coupon_inactive' });
  });
});
