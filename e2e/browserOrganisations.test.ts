import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, screenshot, signIn, watchedPage, type WatchedPage } from './support/browser';
import { freePort, freshAppEnv, npmStart, type RunningApp } from './support/npmStart';

let app: RunningApp;
let dataDir: string;
let browser: Browser;
let tab: WatchedPage;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'couponflow-browser-orgs-'));
  const port = await freePort();
  app = await npmStart(freshAppEnv(dataDir, port));
  browser = await launchChromium();
  tab = await watchedPage(browser, `http://127.0.0.1:${port}`);
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a fresh install in the browser', () => {
  it('the instance admin creates an organisation and signs in as its owner', async () => {
    const { page } = tab;
    const adminKey = readFileSync(join(dataDir, 'admin-api-key'), 'utf8').trim();

    await signIn(page, 'cf_not-a-key');
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('not valid');

    await signIn(page, adminKey);
    await page.getByRole('heading', { name: 'Organisations' }).waitFor();
    await page.getByText('No organisations yet').waitFor();
    await page.getByRole('button', { name: 'New organisation' }).click();
    await page.getByLabel('Name').fill('Corner Coffee');
    await page.getByRole('button', { name: 'Create organisation' }).click();
    const ownerKey = (await page.getByTestId('owner-key').textContent())!;
    expect(ownerKey).toMatch(/^cf_/);
    await screenshot(page, 'organisations');

    await page.getByRole('button', { name: 'Sign in as its owner' }).click();
    await page.getByRole('heading', { name: 'Flows' }).waitFor();
    await expect.poll(() => page.locator('.who').textContent()).toContain('Corner Coffee');
    for (const nav of ['Flows', 'Coupons', 'Inboxes', 'API keys']) await page.getByRole('link', { name: nav }).waitFor();
    expect(await page.getByRole('link', { name: 'Organisations' }).count()).toBe(0);

    // The cookie is httpOnly: the page's script cannot read the session.
    expect(await page.evaluate('document.cookie')).toBe('');
    const cookies = await tab.context.cookies();
    expect(cookies.find((c) => c.name === 'cf_session')).toMatchObject({ httpOnly: true, sameSite: 'Strict' });

    // The owner connects a web chat and makes a staff key, shown once.
    await screenshot(page, 'flows-empty');
    await page.getByRole('link', { name: 'Inboxes' }).click();
    await page.getByRole('button', { name: 'Connect a channel' }).click();
    await page.getByLabel('Name').fill('Website chat');
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    await page.getByText('The web chat is ready').waitFor();
    await page.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('cell', { name: 'Website chat', exact: true }).waitFor();
    await screenshot(page, 'inboxes');
    await page.getByRole('link', { name: 'API keys' }).click();
    await page.getByRole('button', { name: 'New key' }).click();
    await page.getByLabel('Name').fill('Till 1');
    await page.getByLabel(/Store staff/).check();
    await page.getByRole('button', { name: 'Create key' }).click();
    expect(await page.getByTestId('new-key').textContent()).toMatch(/^cf_/);
    await page.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('cell', { name: /^Till 1/ }).waitFor();
    await screenshot(page, 'api-keys');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API key').waitFor();
    await signIn(page, ownerKey);
    await page.getByRole('heading', { name: 'Flows' }).waitFor();
    expect(tab.errors).toEqual([]);
  });
});
