import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orgWithKeys, startTestServer, type TestServer } from '../testing/testServer';

let server: TestServer;
beforeAll(async () => void (server = await startTestServer()));
afterAll(() => server.close());

/** What a browser on our own origin sends along. */
const sameSite = () => ({ Origin: server.url });

async function signIn(apiKey: string): Promise<string> {
  const res = await server.call('POST', '/api/v1/session', { json: { apiKey }, headers: sameSite() });
  expect(res.status).toBe(204);
  return res.headers.get('set-cookie')!.split(';')[0]!;
}

describe('web app sessions', () => {
  it('signing in sets an httpOnly SameSite=Strict cookie that is not the key, and the cookie then authenticates', async () => {
    const { owner } = await orgWithKeys(server, 'Bakery');
    const res = await server.call('POST', '/api/v1/session', { json: { apiKey: owner }, headers: sameSite() });
    expect(res.status).toBe(204);
    const setCookie = res.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/^cf_session=/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    expect(setCookie).not.toMatch(/Secure/i); // plain http here; https requests get Secure
    expect(setCookie).not.toContain(owner);
    const cookie = setCookie.split(';')[0]!;

    const me = await server.call('GET', '/api/v1/session', { headers: { Cookie: cookie } });
    expect(await me.json()).toMatchObject({ role: 'owner', org: { name: 'Bakery' }, features: { coupons: true } });
    expect((await server.call('GET', '/api/v1/coupons', { headers: { Cookie: cookie } })).status).toBe(200);
  });

  it('behind an https proxy the cookie is Secure', async () => {
    const { owner } = await orgWithKeys(server);
    const res = await server.call('POST', '/api/v1/session', { json: { apiKey: owner }, headers: { ...sameSite(), 'X-Forwarded-Proto': 'https' } });
    expect(res.headers.get('set-cookie')).toMatch(/Secure/);
  });

  it('a wrong key gets 401 and no cookie', async () => {
    const res = await server.call('POST', '/api/v1/session', { json: { apiKey: 'cf_wrong' }, headers: sameSite() });
    expect(res.status).toBe(401);
    expect(res.headers.get('set-cookie')).toBeNull();
  });

  it('a change made with the cookie must come from our own origin (CSRF)', async () => {
    const { owner } = await orgWithKeys(server);
    const cookie = await signIn(owner);
    const flow = { name: 'Welcome' };
    const fromElsewhere = await server.call('POST', '/api/v1/flows', { json: flow, headers: { Cookie: cookie, Origin: 'https://evil.example' } });
    expect(fromElsewhere.status).toBe(403);
    expect((await fromElsewhere.json()).error.code).toBe('csrf_refused');
    const noOrigin = await server.call('POST', '/api/v1/flows', { json: flow, headers: { Cookie: cookie } });
    expect(noOrigin.status).toBe(403);
    const ours = await server.call('POST', '/api/v1/flows', { json: flow, headers: { Cookie: cookie, ...sameSite() } });
    expect(ours.status).toBe(201);
    const signInFromElsewhere = await server.call('POST', '/api/v1/session', { json: { apiKey: owner }, headers: { Origin: 'https://evil.example' } });
    expect(signInFromElsewhere.status).toBe(403);
  });

  it('the instance admin signs in too and is told so', async () => {
    const cookie = await signIn(server.adminKey);
    const me = await server.call('GET', '/api/v1/session', { headers: { Cookie: cookie } });
    expect(await me.json()).toEqual({ role: 'instance_admin', org: null, features: null });
    expect((await server.call('GET', '/api/v1/orgs', { headers: { Cookie: cookie } })).status).toBe(200);
  });

  it('signing out ends the session on the server, not just in the browser', async () => {
    const { owner } = await orgWithKeys(server);
    const cookie = await signIn(owner);
    const out = await server.call('DELETE', '/api/v1/session', { headers: { Cookie: cookie, ...sameSite() } });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/cf_session=;/);
    expect((await server.call('GET', '/api/v1/session', { headers: { Cookie: cookie } })).status).toBe(401);
  });

  it('revoking the key ends the sessions opened with it at once', async () => {
    const { owner, designer } = await orgWithKeys(server);
    const cookie = await signIn(designer);
    const keys = await (await server.call('GET', '/api/v1/api-keys', { key: owner })).json();
    const designerKey = keys.items.find((k: { role: string }) => k.role === 'designer');
    expect((await server.call('DELETE', `/api/v1/api-keys/${designerKey.id}`, { key: owner })).status).toBe(204);
    expect((await server.call('GET', '/api/v1/session', { headers: { Cookie: cookie } })).status).toBe(401);
    expect((await server.call('GET', '/api/v1/flows', { key: designer })).status).toBe(401);
  });

  it('a made-up cookie is 401', async () => {
    expect((await server.call('GET', '/api/v1/session', { headers: { Cookie: 'cf_session=made-up' } })).status).toBe(401);
  });
});

describe('guessing keys at the sign-in form', () => {
  it('is rate-limited per address like other failed look-ups: past the limit, no key is looked up', async () => {
    const limited = await startTestServer({ rateLimitFailedPerMinute: 2 });
    try {
      const attempt = (apiKey: string) => limited.call('POST', '/api/v1/session', { json: { apiKey } });
      expect((await attempt('cf_guess1')).status).toBe(401);
      expect((await attempt('cf_guess2')).status).toBe(401);
      const refused = await attempt('cf_guess3');
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
      // Refused before any look-up, so the answer says nothing of whether a key is right.
      expect((await attempt(limited.adminKey)).status).toBe(429);
    } finally {
      await limited.close();
    }
  });
});
