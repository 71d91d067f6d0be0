import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, screenshot, signIn, watchedPage, type WatchedPage } from './support/browser';
import { CanvasDriver } from './support/canvasDriver';
import { freePort, freshAppEnv, npmStart, type RunningApp } from './support/npmStart';

let app: RunningApp;
let dataDir: string;
let baseUrl: string;
let browser: Browser;
let keys: { owner: string; designer: string; staff: string };

/** A 1×1 PNG standing in for the campaign image on an https host the browser cannot reach. */
const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const imageUrl = 'https://images.couponflow.test/latte.png';

async function api(path: string, key: string, body: unknown) {
  const res = await fetch(`${baseUrl}/api/v1${path}`, { method: 'POST', headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.status, await res.clone().text()).toBeLessThan(300);
  return (await res.json()) as { apiKey: string; key: string; id: string };
}

async function openTab(): Promise<WatchedPage> {
  const tab = await watchedPage(browser, baseUrl);
  await tab.context.route('https://images.couponflow.test/**', (route) => route.fulfill({ body: png, contentType: 'image/png' }));
  return tab;
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'couponflow-browser-flow-'));
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  app = await npmStart(freshAppEnv(dataDir, port));
  browser = await launchChromium();
  const adminKey = readFileSync(join(dataDir, 'admin-api-key'), 'utf8').trim();
  const { apiKey: owner } = await api('/orgs', adminKey, { name: 'Corner Coffee' });
  const { key: designer } = await api('/api-keys', owner, { role: 'designer', name: 'Dana' });
  const { key: staff } = await api('/api-keys', owner, { role: 'staff', name: 'Till 1' });
  keys = { owner, designer, staff };
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const outcomePorts = ['redeemed', 'coupon_expired', 'customer_max_uses_reached', 'coupon_max_uses_reached', 'error'];

describe('an owner builds, publishes and tests a coupon flow in the browser', () => {
  it('coupon → canvas with every port wired → publish → test chat offer → redeem → path and record', async () => {
    const tab = await openTab();
    const { page } = tab;
    await signIn(page, keys.owner);

    // A coupon, made in the coupons admin.
    await page.getByRole('link', { name: 'Coupons' }).click();
    await page.getByRole('button', { name: 'New coupon' }).click();
    await page.getByLabel('Name').fill('Free latte');
    await screenshot(page, 'coupon-form');
    await page.getByLabel('Code', { exact: true }).fill('LA');
    await page.getByText('4–32 characters').waitFor(); // inline, as typed
    await page.getByLabel('Code', { exact: true }).fill('LATTE2026');
    await page.getByLabel('Terms').fill('One latte per visit.');
    await page.frameLocator('iframe[title="Redeem page preview"]').getByText('One latte per visit.').waitFor({ state: 'attached' });
    await page.getByRole('region', { name: 'Redeem page designer' }).scrollIntoViewIfNeeded();
    await screenshot(page, 'redeem-page-designer');
    await page.getByRole('button', { name: 'Create coupon' }).click();
    await page.getByRole('link', { name: 'Records & stats' }).waitFor();

    // A flow: Start → Distribute Coupon → a reply on each of the five ports.
    await page.getByRole('link', { name: 'Flows' }).click();
    await page.getByRole('button', { name: 'New flow' }).click();
    await page.getByLabel('Name').fill('Latte offer');
    await page.getByRole('button', { name: 'Create flow' }).click();
    const canvas = new CanvasDriver(page);
    await page.getByTestId('palette-distribute_coupon').waitFor();

    const start = await canvas.drop('start', 150, 280);
    await page.getByLabel('Keywords').fill('latte');
    await page.getByLabel('Keywords').press('Enter');

    const offer = await canvas.drop('distribute_coupon', 420, 200);
    // Publishing too early names what is missing, on the blocks themselves.
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.getByText(/Not published: \d+ problems? to fix/).waitFor();
    await canvas.node(offer).locator('.block-problems').waitFor();
    await page.getByRole('complementary', { name: 'Block settings' }).getByText('Fix before publishing:').waitFor();
    await page.getByRole('option', { name: /Free latte/ }).click();
    await page.getByLabel('Message').fill('A free latte on us, {{contact.id}}?');
    await page.getByLabel('Button title').fill('Get my free latte now!!');
    await page.getByText('23/20').waitFor();
    await page.getByText('Too big: expected string to have <=20 characters').or(page.locator('.error-text')).first().waitFor();
    await page.getByLabel('Button title').fill('Get my latte');
    await page.getByLabel('Image URL').fill(imageUrl);
    await page.getByRole('img', { name: 'Image preview' }).waitFor();
    await expect.poll(() => canvas.node(offer).getByTestId('node-coupon').textContent()).toContain('Free latte');
    await expect.poll(() => canvas.node(offer).getByTestId('node-coupon').textContent()).toContain('Active');
    await canvas.connect(start, 'next', offer);

    const replies: string[] = [];
    for (const [i, port] of outcomePorts.entries()) {
      const reply = await canvas.drop('send_message', 760, 40 + i * 125);
      await page.getByLabel('Message').fill(port === 'redeemed' ? 'Enjoy! Your code is {{coupon.code}}' : `Sorry (${port})`);
      replies.push(reply);
      await canvas.connect(offer, port, reply);
    }
    expect(await canvas.edgeCount()).toBe(6);
    for (const [i, port] of outcomePorts.entries()) await page.getByTestId(`rf__edge-e_${offer}_${port}_${replies[i]}`).waitFor();

    // Undo takes the last edge away, redo brings it back.
    await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
    await page.getByRole('button', { name: 'Undo' }).click();
    expect(await canvas.edgeCount()).toBe(5);
    await page.getByRole('button', { name: 'Redo' }).click();
    expect(await canvas.edgeCount()).toBe(6);
    await page.getByTestId('save-state').getByText('All changes saved').waitFor();

    await page.getByRole('button', { name: 'Publish' }).click();
    await page.getByText('Published version 1').waitFor();
    expect(await page.locator('.block-problems').count()).toBe(0);
    await screenshot(page, 'canvas');
    await page.getByRole('button', { name: 'History' }).click();
    await page.getByRole('complementary', { name: 'Version history' }).getByText('Version 1').waitFor();

    // Chat with it through a web-chat inbox, from the test panel.
    await page.getByRole('button', { name: 'Test' }).click();
    await page.getByRole('button', { name: 'Add a web chat inbox' }).click();
    await page.getByLabel('Message', { exact: true }).fill('latte');
    await page.getByRole('button', { name: 'Send' }).click();
    const shown = page.getByTestId('offer');
    await shown.getByText('A free latte on us').waitFor();
    expect(await shown.locator('img').getAttribute('src')).toBe(imageUrl);
    const redeemUrl = (await shown.getByRole('link', { name: 'Get my latte' }).getAttribute('href'))!;
    expect(redeemUrl).toMatch(new RegExp(`^${baseUrl}/r/`));

    // The customer redeems on their phone.
    const phone = await browser.newPage({ viewport: { width: 390, height: 780 } });
    await phone.goto(redeemUrl);
    await phone.getByRole('button', { name: 'Redeem' }).click();
    await phone.getByText('LATTE2026').first().waitFor();
    await phone.close();

    // The bot answers on the redeemed port, and the canvas shows the way the run went.
    await page.getByTestId('chat').getByText('Enjoy! Your code is LATTE2026').waitFor();
    await canvas.node(offer).locator('.block-port.on-path[data-port="redeemed"]').waitFor();
    await page.locator(`.block.on-path[data-node-id="${replies[0]}"]`).waitFor();
    expect(await page.locator('.block.on-path').count()).toBe(3);
    expect(await page.locator('.react-flow__edge.on-path').count()).toBe(2);
    await screenshot(page, 'test-panel');

    // The record is listed as redeemed.
    await page.getByRole('button', { name: 'Back to flows' }).or(page.getByRole('link', { name: 'Back to flows' })).click();
    await page.getByRole('link', { name: 'Coupons' }).click();
    await page.getByRole('cell', { name: 'Free latte' }).first().waitFor();
    await screenshot(page, 'coupons');
    await page.getByRole('cell', { name: 'Free latte' }).click();
    await page.getByRole('link', { name: 'Records & stats' }).click();
    const records = page.getByTestId('records');
    await records.getByText('redeemed', { exact: true }).waitFor();
    expect(await records.locator('tbody tr').count()).toBe(1);
    // One record, which went sent → opened → redeemed: the funnel counts it once at each step.
    const step = (name: string) => page.getByTestId(`funnel-${name}`).locator('.big').textContent();
    await expect.poll(() => step('redeemed')).toBe('1');
    expect([await step('sent'), await step('opened'), await step('verified')]).toEqual(['1', '1', '0']);
    await screenshot(page, 'records');

    expect(tab.errors).toEqual([]);
  });

  it('a designer edits the flow but cannot publish it', async () => {
    const tab = await openTab();
    const { page } = tab;
    await api('/flows', keys.owner, { name: 'Designer draft' });
    await signIn(page, keys.designer);
    await page.getByRole('cell', { name: 'Designer draft' }).click();
    const publish = page.getByRole('button', { name: 'Publish' });
    await publish.waitFor();
    expect(await publish.isDisabled()).toBe(true);
    expect(await publish.getAttribute('title')).toContain('Only owners and admins');

    // Editing still works: keyboard copy, paste and delete.
    const canvas = new CanvasDriver(page);
    const message = await canvas.drop('send_message', 300, 200);
    await canvas.select(message);
    await page.keyboard.press('Control+c');
    await page.keyboard.press('Control+v');
    await expect.poll(() => page.locator('.react-flow__node').count()).toBe(2);
    await page.keyboard.press('Delete');
    await expect.poll(() => canvas.nodeIds()).toEqual([message]);
    await page.keyboard.press('Control+z');
    await expect.poll(() => page.locator('.react-flow__node').count()).toBe(2);
    expect(await page.getByRole('link', { name: 'API keys' }).count()).toBe(0);
    // Nor through the API with the session cookie.
    const status = await page.evaluate(async () => {
      const flows = (await (await fetch('/api/v1/flows')).json()) as { items: { id: string; name: string }[] };
      return (await fetch(`/api/v1/flows/${flows.items.find((f) => f.name === 'Designer draft')!.id}/publish`, { method: 'POST' })).status;
    });
    expect(status).toBe(403);
    expect(tab.errors).toEqual([]);
  });

  it('store staff see only verification, and a redeemed code verifies in large type', async () => {
    const tab = await openTab();
    const { page } = tab;
    const records = await (await fetch(`${baseUrl}/api/v1/coupons`, { headers: { Authorization: `Bearer ${keys.owner}` } })).json() as { items: { id: string }[] };
    const redeemed = await (await fetch(`${baseUrl}/api/v1/coupons/${records.items[0]!.id}/redemptions?status=redeemed`, { headers: { Authorization: `Bearer ${keys.owner}` } })).json() as { items: { id: string }[] };
    await signIn(page, keys.staff);
    await page.getByRole('heading', { name: 'Verify a code' }).waitFor();
    expect(await page.locator('.nav-link').allTextContents()).toEqual(['Verify a code']);

    await page.getByLabel('Code').fill('NOPE1234');
    await page.getByRole('button', { name: 'Verify', exact: true }).click();
    await page.getByRole('status').getByText('No such code').waitFor();

    // A shared code is verified by the staff reference the redeem page shows under it.
    await page.getByLabel('Code').fill(redeemed.items[0]!.id);
    await page.getByRole('button', { name: 'Verify', exact: true }).click();
    await page.getByRole('status').getByText('✓ Valid').waitFor();
    await page.getByRole('status').getByText('Free latte').waitFor();
    await screenshot(page, 'verify');
    expect(tab.errors).toEqual([]);
  });
});
