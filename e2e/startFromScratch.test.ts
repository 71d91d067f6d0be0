import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, freshAppEnv, npmStart, type RunningApp } from './support/npmStart';

let app: RunningApp;
let dataDir: string;
let baseUrl: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'couponflow-start-'));
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  app = await npmStart(freshAppEnv(dataDir, port));
});

afterAll(async () => {
  await app?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('npm start on a fresh machine', () => {
  it('prints the URLs and writes the generated admin key with mode 0600', async () => {
    expect(app.output()).toContain(`REST API      ${baseUrl}/api/v1`);
    const { statSync } = await import('node:fs');
    expect(statSync(join(dataDir, 'admin-api-key')).mode & 0o777).toBe(0o600);
  });

  it('serves a redeem page for a coupon created through the API, as the README shows', async () => {
    const adminKey = readFileSync(join(dataDir, 'admin-api-key'), 'utf8').trim();
    const post = async (path: string, key: string, body: unknown) => {
      const res = await fetch(`${baseUrl}/api/v1${path}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(res.status, await res.clone().text()).toBeLessThan(300);
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each step asserts the shape it needs
      return (await res.json()) as any;
    };
    const { apiKey } = await post('/orgs', adminKey, { name: 'My shop' });
    const coupon = await post('/coupons', apiKey, {
      name: 'Welcome 10% off',
      code: { type: 'common', value: 'WELCOME10' },
      activePeriod: { startsAt: '2026-01-01T00:00:00Z', endsAt: null },
      redeemPage: { codeDisplay: 'qrcode' },
    });
    const inbox = await post('/inboxes', apiKey, { channel: 'webchat', name: 'Web chat', credentials: {} });
    const offer = await post(`/coupons/${coupon.id}/distributions`, apiKey, { customerId: 'customer-1', inboxId: inbox.id });
    expect(offer.redeemUrl).toBe(`${baseUrl}/r/${offer.token}`);
    const page = await fetch(offer.redeemUrl);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Welcome 10% off');
  });
});
