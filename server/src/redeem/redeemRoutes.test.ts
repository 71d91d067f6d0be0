import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orgWithKeys, sampleCoupon, startTestServer, type TestServer } from '../testing/testServer';

const phone = { 'User-Agent': 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148 Safari Line/13.20.0' };
let server: TestServer;
let keys: Awaited<ReturnType<typeof orgWithKeys>>;
beforeAll(async () => {
  server = await startTestServer({ rateLimitFailedPerMinute: 3 });
  keys = await orgWithKeys(server);
});
afterAll(() => server.close());

async function offer(redeemPage: object = {}, customerId = 'alice') {
  const coupon = await (
    await server.call('POST', '/api/v1/coupons', { key: keys.owner, json: { ...sampleCoupon, code: { type: 'common' }, redeemPage } })
  ).json();
  const sent = await (
    await server.call('POST', `/api/v1/coupons/${coupon.id}/distributions`, { key: keys.owner, json: { customerId, inboxId: keys.inboxId } })
  ).json();
  return { couponId: coupon.id as string, code: coupon.code.value as string, token: sent.token as string };
}
const stats = async (couponId: string) => (await server.call('GET', `/api/v1/coupons/${couponId}/stats`, { key: keys.owner })).json();

describe('the redeem page', () => {
  it('a customer opens it: the record is opened, the code stays hidden until Redeem', async () => {
    const { couponId, code, token } = await offer();
    const res = await server.call('GET', `/r/${token}`, { headers: phone });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await res.text();
    expect(html).not.toContain(code);
    expect(Buffer.byteLength(html)).toBeLessThan(50 * 1024);
    expect(await stats(couponId)).toMatchObject({ sent: 1, opened: 1 });
  });

  it('answered ahead of the middleware stack, it still carries the security headers, a request id and its metrics, never its token', async () => {
    const { token } = await offer({}, 'carol');
    const res = await server.call('GET', `/r/${token}?utm_source=line`, { headers: { ...phone, 'X-Request-Id': 'till-7' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBe('till-7');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('strict-transport-security')).toMatch(/max-age=/);
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(res.headers.get('x-powered-by')).toBeNull();
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    const metrics = await (await server.call('GET', '/metrics', { key: server.adminKey })).text();
    expect(metrics).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/r\/:token",status="200"\} [1-9]/);
    expect(metrics).not.toContain(token);
  });

  it('a token with a malformed escape gets the plain not-found answer, not a crash', async () => {
    const res = await server.call('GET', '/r/%E0%A4%A');
    expect(res.status).toBeLessThan(500);
    expect(res.status).toBeGreaterThanOrEqual(400);
  });

  it('link-preview crawlers and HEAD requests do not count as opening it', async () => {
    const { couponId, token } = await offer();
    for (const ua of ['facebookexternalhit/1.1', 'WhatsApp/2.23.20.0 A', 'Twitterbot/1.0', 'Slackbot-LinkExpanding 1.0']) {
      expect((await server.call('GET', `/r/${token}`, { headers: { 'User-Agent': ua } })).status).toBe(200);
    }
    expect((await server.call('HEAD', `/r/${token}`, { headers: phone })).status).toBe(200);
    expect(await stats(couponId)).toMatchObject({ sent: 1, opened: 0 });
  });

  it('a plain form post redeems and redirects back to the page, which then shows the code; a double click is harmless', async () => {
    const { couponId, code, token } = await offer();
    for (let click = 0; click < 2; click++) {
      const res = await server.call('POST', `/r/${token}/redeem`, { headers: { ...phone, Accept: 'text/html' } });
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe(`/r/${token}`);
    }
    const page = await (await server.call('GET', `/r/${token}`, { headers: phone })).text();
    expect(page).toContain(code);
    expect(await stats(couponId)).toMatchObject({ redeemed: 1 });
    // A common code is shared, so the page gives staff this customer's redemption id to verify.
    const redemptionId = /Staff reference: <code>(rdm_[0-9a-z]+)<\/code>/.exec(page)?.[1];
    const verified = await server.call('POST', '/api/v1/verify', { key: keys.staff, json: { redemptionId } });
    expect((await verified.json()).status).toBe('verified');
  });

  it('redeems on open when the page is configured so', async () => {
    const { couponId, code, token } = await offer({ redeemButton: { mode: 'on_open' } });
    expect(await (await server.call('GET', `/r/${token}`, { headers: phone })).text()).toContain(code);
    expect(await stats(couponId)).toMatchObject({ redeemed: 1 });
  });

  it("shows the coupon's changed design on the next view", async () => {
    const { couponId, token } = await offer({ title: 'Spring at the till', terms: 'One per visit' });
    expect(await (await server.call('GET', `/r/${token}`, { headers: phone })).text()).toContain('<h1>Spring at the till</h1>');
    const patched = await server.call('PATCH', `/api/v1/coupons/${couponId}`, { key: keys.owner, json: { redeemPage: { title: 'Summer at the till', terms: 'Two per visit' } } });
    expect(patched.status).toBe(200);
    const html = await (await server.call('GET', `/r/${token}`, { headers: phone })).text();
    expect(html).toContain('<h1>Summer at the till</h1>');
    expect(html).toContain('Two per visit');
  });

  it('renders the terms inert', async () => {
    const { token } = await offer({ terms: '<script>alert(1)</script> "><img src=x onerror=alert(2)>' });
    const html = await (await server.call('GET', `/r/${token}`, { headers: phone })).text();
    expect(html).not.toContain('<script>alert(1)');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('answers wrong tokens with one generic page, then refuses the guessing address before any look-up', async () => {
    const { token } = await offer();
    // Valid look-ups never count: a customer who reloads their page is never slowed.
    for (let i = 0; i < 10; i++) expect((await server.call('GET', `/r/${token}`, { headers: phone })).status).toBe(200);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await server.call('GET', `/r/guess-${i}`, { headers: phone })).status);
    expect(statuses).toEqual([404, 404, 404, 429, 429]);
    const limited = await server.call('POST', '/r/guess-x/redeem', { headers: { Accept: 'application/json' } });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await limited.json()).error.code).toBe('rate_limited');
    // Past the limit, a real token from the guessing address is refused too: no look-up answers it.
    expect((await server.call('GET', `/r/${token}`, { headers: phone })).status).toBe(429);
    expect((await server.call('POST', `/r/${token}/redeem`, { headers: { Accept: 'application/json' } })).status).toBe(429);
  });
});

describe('the redeem page behind a proxy', () => {
  it("counts wrong tokens against the customer's forwarded address, not the proxy's", async () => {
    const proxied = await startTestServer({ rateLimitFailedPerMinute: 3, trustProxy: true });
    try {
      const guess = async (address: string, i: number) => (await proxied.call('GET', `/r/guess-${i}`, { headers: { 'X-Forwarded-For': address } })).status;
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push(await guess('10.0.0.1', i));
      expect(statuses).toEqual([404, 404, 404, 429]);
      expect(await guess('10.0.0.2', 9)).toBe(404);
    } finally {
      await proxied.close();
    }
  });
});

describe('the redeem page preview', () => {
  it('renders an unsaved configuration for the designer', async () => {
    const res = await server.call('POST', '/api/v1/redeem-page/preview', {
      key: keys.designer,
      json: { redeemPage: { title: 'Preview title', codeDisplay: 'qrcode' }, state: 'redeemed' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain('Preview title');
    expect(html).toContain('<svg');
  });
});
