import { afterEach, describe, expect, it } from 'vitest';
import { couponInput, expectOk, testWorld, type TestWorld } from './testing/testEngine';

let w: TestWorld;
afterEach(() => w.close());

function campaign() {
  const coupon = expectOk(w.engine.createCoupon(w.orgId, couponInput({ usageExpiry: { type: 'days_after_redeemed', days: 1 } })));
  const send = (customerId: string, inboxId = 'line-1') =>
    expectOk(w.engine.distribute(w.orgId, { couponId: coupon.id, customerId, inboxId, channel: 'line' })).record;
  return { coupon, send };
}

describe('redemption records and stats', () => {
  it('counts how many records reached each step (a funnel), plus those expired or revoked now', () => {
    w = testWorld();
    const { coupon, send } = campaign();
    const [a, b, c] = [send('a'), send('b'), send('c')];
    send('d');
    expectOk(w.engine.open(c!.token));
    expectOk(w.engine.redeem(a!.token));
    expectOk(w.engine.redeem(b!.token));
    expectOk(w.engine.verify(w.orgId, { redemptionId: b!.id }));
    // four sent; c opened, a and b redeemed (so opened too), b verified
    expect(expectOk(w.engine.stats(w.orgId, coupon.id))).toEqual({ sent: 4, opened: 3, redeemed: 2, verified: 1, expired: 0, revoked: 0 });
    w.clock.advance(86_400_000);
    // a's code expired unused: it still reached redeemed, and counts as expired now
    expect(expectOk(w.engine.stats(w.orgId, coupon.id))).toMatchObject({ redeemed: 2, expired: 1 });
  });

  it('filters by status, customer, inbox and time, newest first, a page at a time', () => {
    w = testWorld();
    const { coupon, send } = campaign();
    send('a', 'line-1');
    w.clock.advance(1000);
    const from = w.clock.now().toISOString();
    const b = send('b', 'line-2');
    send('c', 'line-2');
    expectOk(w.engine.redeem(b.token));
    const q = (query: object) => expectOk(w.engine.listRecords(w.orgId, coupon.id, query)).items.map((r) => r.customerId);
    expect(q({})).toEqual(['c', 'b', 'a']);
    expect(q({ status: 'redeemed' })).toEqual(['b']);
    expect(q({ inboxId: 'line-2' })).toEqual(['c', 'b']);
    expect(q({ customerId: 'a' })).toEqual(['a']);
    expect(q({ from })).toEqual(['c', 'b']);
    expect(q({ to: from })).toEqual(['a']);
    const page1 = expectOk(w.engine.listRecords(w.orgId, coupon.id, { limit: 2 }));
    const page2 = expectOk(w.engine.listRecords(w.orgId, coupon.id, { limit: 2, cursor: page1.nextCursor }));
    expect([...page1.items, ...page2.items].map((r) => r.customerId)).toEqual(['c', 'b', 'a']);
    expect(page2.nextCursor).toBeNull();
  });

  it('refuses a malformed query with details', () => {
    w = testWorld();
    const { coupon } = campaign();
    expect(w.engine.listRecords(w.orgId, coupon.id, { status: 'lost', limit: 'many' })).toMatchObject({ ok: false, reason: 'validation_failed' });
  });

  it('exports the filtered records as CSV without the customers’ tokens', async () => {
    w = testWorld();
    const { coupon, send } = campaign();
    const a = send('a');
    send('b');
    expectOk(w.engine.redeem(a.token));
    let csv = '';
    for await (const chunk of expectOk(w.engine.exportRecordsCsv(w.orgId, coupon.id, { status: 'redeemed' }))) csv += chunk;
    const lines = csv.trim().split('\n');
    expect(lines[0]).toBe('id,couponId,customerId,inboxId,channel,status,code,sentAt,openedAt,redeemedAt,verifiedAt,expiresAt,revokedAt,flowRunId,nodeId');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(',a,line-1,line,redeemed,SUMMER10,');
    expect(csv).not.toContain(a.token);
  });
});
