import { backends } from '@couponflow/db/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { couponInput, expectOk, testWorld, type TestWorld } from './testing/testEngine';

let w: TestWorld;
afterEach(() => w.close());

describe.each(backends)('on %s', (backend) => {

  async function campaign() {
    const coupon = expectOk(await w.engine.createCoupon(w.orgId, couponInput({ usageExpiry: { type: 'days_after_redeemed', days: 1 } })));
    const send = async (customerId: string, inboxId = 'line-1') =>
      expectOk(await w.engine.distribute(w.orgId, { couponId: coupon.id, customerId, inboxId, channel: 'line' })).record;
    return { coupon, send };
  }

  describe('redemption records and stats', () => {
    it('counts how many records reached each step (a funnel), plus those expired or revoked now', async () => {
      w = await testWorld(backend);
      const { coupon, send } = await campaign();
      const [a, b, c] = [await send('a'), await send('b'), await send('c')];
      await send('d');
      expectOk(await w.engine.open(c!.token));
      expectOk(await w.engine.redeem(a!.token));
      expectOk(await w.engine.redeem(b!.token));
      expectOk(await w.engine.verify(w.orgId, { redemptionId: b!.id }));
      // four sent; c opened, a and b redeemed (so opened too), b verified
      expect(expectOk(await w.engine.stats(w.orgId, coupon.id))).toEqual({ sent: 4, opened: 3, redeemed: 2, verified: 1, expired: 0, revoked: 0 });
      w.clock.advance(86_400_000);
      // a's code expired unused: it still reached redeemed, and counts as expired now
      expect(expectOk(await w.engine.stats(w.orgId, coupon.id))).toMatchObject({ redeemed: 2, expired: 1 });
    });

    it('filters by status, customer, inbox and time, newest first, a page at a time', async () => {
      w = await testWorld(backend);
      const { coupon, send } = await campaign();
      await send('a', 'line-1');
      w.clock.advance(1000);
      const from = w.clock.now().toISOString();
      const b = await send('b', 'line-2');
      await send('c', 'line-2');
      expectOk(await w.engine.redeem(b.token));
      const q = async (query: object) => expectOk(await w.engine.listRecords(w.orgId, coupon.id, query)).items.map((r) => r.customerId);
      expect(await q({})).toEqual(['c', 'b', 'a']);
      expect(await q({ status: 'redeemed' })).toEqual(['b']);
      expect(await q({ inboxId: 'line-2' })).toEqual(['c', 'b']);
      expect(await q({ customerId: 'a' })).toEqual(['a']);
      expect(await q({ from })).toEqual(['c', 'b']);
      expect(await q({ to: from })).toEqual(['a']);
      const page1 = expectOk(await w.engine.listRecords(w.orgId, coupon.id, { limit: 2 }));
      const page2 = expectOk(await w.engine.listRecords(w.orgId, coupon.id, { limit: 2, cursor: page1.nextCursor }));
      expect([...page1.items, ...page2.items].map((r) => r.customerId)).toEqual(['c', 'b', 'a']);
      expect(page2.nextCursor).toBeNull();
    });

    it('refuses a malformed query with details', async () => {
      w = await testWorld(backend);
      const { coupon } = await campaign();
      expect(await w.engine.listRecords(w.orgId, coupon.id, { status: 'lost', limit: 'many' })).toMatchObject({ ok: false, reason: 'validation_failed' });
    });

    it('exports the filtered records as CSV without the customers’ tokens', async () => {
      w = await testWorld(backend);
      const { coupon, send } = await campaign();
      const a = await send('a');
      await send('b');
      expectOk(await w.engine.redeem(a.token));
      let csv = '';
      for await (const chunk of expectOk(await w.engine.exportRecordsCsv(w.orgId, coupon.id, { status: 'redeemed' }))) csv += chunk;
      const lines = csv.trim().split('\n');
      expect(lines[0]).toBe('id,couponId,customerId,inboxId,channel,status,code,sentAt,openedAt,redeemedAt,verifiedAt,expiresAt,revokedAt,flowRunId,nodeId');
      expect(lines).toHaveLength(2);
      expect(lines[1]).toContain(',a,line-1,line,redeemed,SUMMER10,');
      expect(csv).not.toContain(a.token);
    });
  });
});
