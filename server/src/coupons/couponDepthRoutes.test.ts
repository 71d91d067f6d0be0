import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orgWithKeys, sampleCoupon, startTestServer, type TestServer } from '../testing/testServer';

let server: TestServer;
let keys: Awaited<ReturnType<typeof orgWithKeys>>;
beforeAll(async () => {
  server = await startTestServer();
  keys = await orgWithKeys(server);
});
afterAll(() => server.close());

const common = (value: string, extra: object = {}) => ({ ...sampleCoupon, code: { type: 'common', value }, ...extra });
async function createCoupon(body: object) {
  const res = await server.call('POST', '/api/v1/coupons', { key: keys.owner, json: body });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string };
}
const distribute = (couponId: string, customerId: string) =>
  server.call('POST', `/api/v1/coupons/${couponId}/distributions`, { key: keys.owner, json: { customerId, inboxId: keys.inboxId } });
const offer = async (couponId: string, customerId: string) => (await (await distribute(couponId, customerId)).json()) as { id: string; token: string };
const redeem = (token: string) => server.call('POST', `/r/${token}/redeem`, { headers: { Accept: 'application/json' } });
const errorCode = async (res: { json(): Promise<unknown> }) => ((await res.json()) as { error: { code: string } }).error.code;

describe('organisation settings', () => {
  it('the owner sets an IANA time zone; unknown zones are refused, designers may only read', async () => {
    const set = await server.call('PATCH', '/api/v1/org', { key: keys.admin, json: { timeZone: 'Europe/Berlin' } });
    expect(set.status).toBe(200);
    expect(await set.json()).toEqual({ id: keys.orgId, name: 'Shop', timeZone: 'Europe/Berlin' });
    const bad = await server.call('PATCH', '/api/v1/org', { key: keys.owner, json: { timeZone: 'Mars/Olympus' } });
    expect(bad.status).toBe(422);
    expect((await bad.json()).error.details).toEqual([expect.objectContaining({ path: 'timeZone' })]);
    expect((await server.call('PATCH', '/api/v1/org', { key: keys.designer, json: { timeZone: 'UTC' } })).status).toBe(403);
    expect(await (await server.call('GET', '/api/v1/org', { key: keys.staff })).json()).toMatchObject({ timeZone: 'Europe/Berlin' });
  });
});

describe('the merchant’s id and the display value', () => {
  it('externalId is unique per organisation (409), and the list filters by it', async () => {
    const coupon = await createCoupon(common('EXT-0001', { externalId: 'crm-42', discount: { type: 'percent', value: 20 } }));
    const clash = await server.call('POST', '/api/v1/coupons', { key: keys.owner, json: common('EXT-0002', { externalId: 'crm-42' }) });
    expect(clash.status).toBe(409);
    expect(await errorCode(clash)).toBe('external_id_taken');
    const other = await orgWithKeys(server, 'Other shop');
    expect((await server.call('POST', '/api/v1/coupons', { key: other.owner, json: common('EXT-0003', { externalId: 'crm-42' }) })).status).toBe(201);
    const listed = await (await server.call('GET', '/api/v1/coupons?externalId=crm-42', { key: keys.designer })).json();
    expect(listed.items.map((c: { id: string }) => c.id)).toEqual([coupon.id]);
    expect(listed.items[0]).toMatchObject({ externalId: 'crm-42', discount: { type: 'percent', value: 20 } });
  });

  it('the redeem page shows the discount', async () => {
    const coupon = await createCoupon(common('EURO-0005', { discount: { type: 'amount', value: 5, currency: 'EUR' } }));
    const { token } = await offer(coupon.id, 'alice');
    const html = await (await server.call('GET', `/r/${token}`)).text();
    expect(html).toContain('<p class="discount">€5.00 off</p>');
    const bad = await server.call('POST', '/api/v1/coupons', { key: keys.owner, json: common('EURO-0006', { discount: { type: 'amount', value: 5 } }) });
    expect(bad.status).toBe(422);
  });
});

describe('the funnel and the audit trail over HTTP', () => {
  it('stats answer the funnel, and a daily series in the organisation’s zone; lists carry each coupon’s funnel', async () => {
    const coupon = await createCoupon(common('FUNNEL-01'));
    const a = await offer(coupon.id, 'a');
    await offer(coupon.id, 'b');
    await redeem(a.token);
    expect((await server.call('POST', '/api/v1/verify', { key: keys.staff, json: { redemptionId: a.id } })).status).toBe(200);
    const stats = await (await server.call('GET', `/api/v1/coupons/${coupon.id}/stats`, { key: keys.designer })).json();
    expect(stats).toEqual({ sent: 2, opened: 1, redeemed: 1, verified: 1, expired: 0, revoked: 0 });
    const today = new Date().toISOString().slice(0, 10);
    const daily = await (await server.call('GET', `/api/v1/coupons/${coupon.id}/stats?groupBy=day&from=2020-01-01&to=2020-01-02`, { key: keys.owner })).json();
    expect(daily).toMatchObject({ sent: 2, timeZone: expect.any(String), series: [{ date: '2020-01-01', sent: 0 }, { date: '2020-01-02', sent: 0 }] });
    const recent = await (await server.call('GET', `/api/v1/coupons/${coupon.id}/stats?groupBy=day`, { key: keys.owner })).json();
    expect(recent.series).toHaveLength(30);
    expect(recent.series.reduce((n: number, d: { sent: number }) => n + d.sent, 0)).toBe(2);
    expect(recent.series.at(-1).date >= today.slice(0, 8)).toBe(true);
    const tooLong = await server.call('GET', `/api/v1/coupons/${coupon.id}/stats?groupBy=day&from=2020-01-01&to=2022-01-01`, { key: keys.owner });
    expect(tooLong.status).toBe(422);
    const list = await (await server.call('GET', '/api/v1/coupons?limit=5', { key: keys.owner })).json();
    expect(list.items.find((c: { id: string }) => c.id === coupon.id)).toMatchObject({ funnel: stats, lowStock: false });
  });

  it('events list every attempt, filtered, paginated, and as CSV', async () => {
    const coupon = await createCoupon(common('EVENTS-01', { perCustomerLimit: 1 }));
    await redeem((await offer(coupon.id, '=cmd|calc')).token);
    expect((await distribute(coupon.id, '=cmd|calc')).status).toBe(409);
    const page = await (await server.call('GET', `/api/v1/coupons/${coupon.id}/events?limit=2`, { key: keys.admin })).json();
    expect(page.items).toHaveLength(2);
    expect(page.items[0]).toMatchObject({ action: 'distribute', outcome: 'customer_max_uses_reached', customerId: '=cmd|calc' });
    const next = await (await server.call('GET', `/api/v1/coupons/${coupon.id}/events?cursor=${page.nextCursor}`, { key: keys.admin })).json();
    expect(next.items.map((e: { action: string }) => e.action)).toEqual(['distribute']);
    const okOnly = await (await server.call('GET', `/api/v1/coupons/${coupon.id}/events?outcome=ok&customerId=${encodeURIComponent('=cmd|calc')}`, { key: keys.admin })).json();
    expect(okOnly.items.map((e: { action: string }) => e.action)).toEqual(['redeem', 'distribute']);
    const csv = await server.call('GET', `/api/v1/coupons/${coupon.id}/events?format=csv`, { key: keys.owner });
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const text = await csv.text();
    expect(text.split('\n')[0]).toBe('id,at,action,outcome,customerId,recordId,detail');
    expect(text).toContain(",'=cmd|calc,");
    expect(text).not.toContain(',=cmd');
    const records = await (await server.call('GET', `/api/v1/coupons/${coupon.id}/redemptions?format=csv`, { key: keys.owner })).text();
    expect(records).toContain(",'=cmd|calc,");
    expect((await server.call('GET', `/api/v1/coupons/${coupon.id}/events`, { key: keys.designer })).status).toBe(403);
  });
});

describe('reversing a redemption over HTTP', () => {
  it('goes back to sent (200), refuses an unredeemed record (409) and another organisation’s (404)', async () => {
    const coupon = await createCoupon(common('REVERSE-1', { totalLimit: 1 }));
    const a = await offer(coupon.id, 'a');
    await redeem(a.token);
    const path = `/api/v1/coupons/${coupon.id}/redemptions/${a.id}/reverse`;
    const reversed = await server.call('POST', path, { key: keys.admin, json: { to: 'sent' } });
    expect(reversed.status).toBe(200);
    expect(await reversed.json()).toMatchObject({ id: a.id, status: 'sent', redeemedAt: null, reversedAt: expect.any(String) });
    const again = await server.call('POST', path, { key: keys.admin, json: { to: 'revoked' } });
    expect(again.status).toBe(409);
    expect(await errorCode(again)).toBe('not_redeemed');
    expect((await redeem(a.token)).status).toBe(200);
    const other = await orgWithKeys(server, 'Competitor');
    expect((await server.call('POST', path, { key: other.owner, json: { to: 'sent' } })).status).toBe(404);
    expect((await server.call('POST', path, { key: keys.designer, json: { to: 'sent' } })).status).toBe(403);
    expect((await server.call('POST', path, { key: keys.owner, json: { to: 'gone' } })).status).toBe(422);
  });
});

describe('restrictions over HTTP', () => {
  it('an audience list is uploaded as CSV; others are refused with 409 customer_not_eligible', async () => {
    const coupon = await createCoupon(common('LIST-0001', { audience: { type: 'list' } }));
    const upload = await server.call('POST', `/api/v1/coupons/${coupon.id}/audience`, {
      key: keys.owner,
      body: 'customer_id\nalice\nbob\nalice\n',
      headers: { 'Content-Type': 'text/csv' },
    });
    expect(upload.status).toBe(201);
    expect(await upload.json()).toEqual({
      added: 2,
      total: 2,
      rejected: [{ line: 4, value: 'alice', reason: 'duplicate_in_file' }],
      rejectedCount: 1,
      rejectedByReason: { duplicate_in_file: 1, duplicate_existing: 0, invalid_format: 0 },
    });
    expect((await distribute(coupon.id, 'bob')).status).toBe(201);
    const refused = await distribute(coupon.id, 'mallory');
    expect(refused.status).toBe(409);
    expect(await errorCode(refused)).toBe('customer_not_eligible');
    expect((await server.call('POST', `/api/v1/coupons/${coupon.id}/audience`, { key: keys.owner, json: { ids: ['x'] } })).status).toBe(415);
    expect(await (await server.call('DELETE', `/api/v1/coupons/${coupon.id}/audience`, { key: keys.owner })).json()).toEqual({ removed: 2 });
  });

  it('issuing limits answer 409 coupon_max_issued_reached', async () => {
    const coupon = await createCoupon(common('ISSUE-001', { maxIssuedTotal: 1 }));
    await offer(coupon.id, 'a');
    const refused = await distribute(coupon.id, 'b');
    expect(refused.status).toBe(409);
    expect(await errorCode(refused)).toBe('coupon_max_issued_reached');
  });

  it('a redemption that opens days after sending: 409 not_yet_redeemable, the page says when, the record stays opened', async () => {
    const coupon = await createCoupon(common('LATER-001', { redeemableAfterDays: 2 }));
    const a = await offer(coupon.id, 'a');
    const html = await (await server.call('GET', `/r/${a.token}`)).text();
    expect(html).toContain('You can redeem this coupon a little later.');
    expect(html).toContain('Redeemable from <time');
    expect(html).not.toContain('<form id="redeem"');
    const res = await redeem(a.token);
    expect(res.status).toBe(409);
    expect(await errorCode(res)).toBe('not_yet_redeemable');
    const records = await (await server.call('GET', `/api/v1/coupons/${coupon.id}/redemptions`, { key: keys.owner })).json();
    expect(records.items).toEqual([expect.objectContaining({ id: a.id, status: 'opened' })]);
  });

  it('answers 404 for another organisation’s coupon on every new endpoint', async () => {
    const coupon = await createCoupon(common('MINE-0001'));
    const other = await orgWithKeys(server, 'Rival');
    for (const [method, path] of [
      ['GET', `/api/v1/coupons/${coupon.id}/events`],
      ['GET', `/api/v1/coupons/${coupon.id}/stats?groupBy=day`],
      ['DELETE', `/api/v1/coupons/${coupon.id}/audience`],
    ] as const) {
      const res = await server.call(method, path, { key: other.owner });
      expect(res.status, `${method} ${path}`).toBe(404);
    }
    const upload = await server.call('POST', `/api/v1/coupons/${coupon.id}/audience`, { key: other.owner, body: 'x\n', headers: { 'Content-Type': 'text/csv' } });
    expect(upload.status).toBe(404);
  });
});
