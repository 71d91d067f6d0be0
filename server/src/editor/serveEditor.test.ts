import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing/testServer';

let server: TestServer;
beforeAll(async () => {
  const dist = mkdtempSync(join(tmpdir(), 'editor-dist-'));
  mkdirSync(join(dist, 'assets'));
  writeFileSync(join(dist, 'index.html'), '<!doctype html><div id="root"></div><script type="module" src="/assets/app.js"></script>');
  writeFileSync(join(dist, 'assets', 'app.js'), 'console.log("app")');
  server = await startTestServer({ editorDistDir: dist });
});
afterAll(() => server.close());

describe('the web app at /', () => {
  it('serves index.html at / and for the app’s own paths, with a CSP that allows no inline script', async () => {
    for (const path of ['/', '/flows', '/flows/flw_1', '/coupons/cpn_1/records', '/api-keys', '/orgs', '/verify', '/sign-in']) {
      const res = await server.call('GET', path);
      expect(res.status, path).toBe(200);
      expect(await res.text()).toContain('id="root"');
      const csp = res.headers.get('content-security-policy')!;
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    }
    const asset = await server.call('GET', '/assets/app.js');
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
  });

  it('never shadows the API, redeem pages, staff page, health or metrics', async () => {
    expect((await server.call('GET', '/api/v1/nope')).status).toBe(404);
    expect((await (await server.call('GET', '/api/v1/nope')).json()).error.code).toBe('not_found');
    expect(await (await server.call('GET', '/healthz')).json()).toEqual({ status: 'ok', database: 'up', redis: 'up' });
    expect(await (await server.call('GET', '/staff')).text()).not.toContain('id="root"');
    expect(await (await server.call('GET', '/r/unknown-token')).text()).not.toContain('id="root"');
    expect((await server.call('GET', '/metrics', { key: server.adminKey })).headers.get('content-type')).toMatch(/text\/plain/);
    expect((await server.call('GET', '/assets/missing.js')).status).toBe(404);
    expect((await server.call('GET', '/something-else')).status).toBe(404);
  });
});
