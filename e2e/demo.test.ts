import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import '../server/src/testing/providedContext';
import { launchChromium, screenshot, signIn, watchedPage } from './support/browser';
import type { WebchatItem } from './support/chatWorld';
import { freePort, freshAppEnv, npmStart, repoRoot, type RunningApp } from './support/npmStart';

let app: RunningApp;
let dataDir: string;
let baseUrl: string;
let env: NodeJS.ProcessEnv;

/** `npm run demo` in another "terminal": same environment, its own process. */
async function runDemo(demoEnv: NodeJS.ProcessEnv = env): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const demo = spawn('npm', ['run', 'demo'], { cwd: repoRoot, env: demoEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  demo.stdout.on('data', (chunk) => (stdout += chunk));
  demo.stderr.on('data', (chunk) => (stderr += chunk));
  const code = await new Promise<number | null>((done) => demo.once('close', done));
  return { code, stdout, stderr };
}

/** The URL and JSON body of a printed `curl -X POST 'url' … -d '{…}'` line. */
function printedPost(stdout: string): { url: string; body: unknown } {
  const match = /curl -s -X POST '([^']+)' -H 'Content-Type: application\/json' -d '([^']+)'/.exec(stdout);
  if (!match) throw new Error(`no curl POST in the demo's output:\n${stdout}`);
  return { url: match[1]!, body: JSON.parse(match[2]!) };
}

/** The URL of the printed `curl -s '…/messages?contactId=…'` line. */
function printedHistoryUrl(stdout: string): string {
  const match = /curl -s '([^']+\/messages\?contactId=[^']+)'/.exec(stdout);
  if (!match) throw new Error(`no history curl in the demo's output:\n${stdout}`);
  return match[1]!;
}

async function post(url: string, body: unknown): Promise<void> {
  const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.status, await res.text()).toBe(202);
}

async function botMessages(historyUrl: string, count: number): Promise<WebchatItem[]> {
  let items: WebchatItem[] = [];
  for (let i = 0; i < 600; i++) {
    items = ((await (await fetch(historyUrl)).json()) as { items: WebchatItem[] }).items;
    if (items.length >= count) return items;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`expected ${count} bot messages, got ${JSON.stringify(items)}`);
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'couponflow-demo-'));
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  env = freshAppEnv(dataDir, port, { REDIS_URL: inject('redisUrl'), REDIS_PREFIX: `demo${randomUUID()}` });
  app = await npmStart(env);
});

afterAll(async () => {
  await app?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('npm run demo', () => {
  it('asks for npm start first when no server answers', async () => {
    const closedPort = String(await freePort());
    const result = await runDemo({ ...env, PORT: closedPort, PUBLIC_URL: `http://127.0.0.1:${closedPort}` });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('npm start');
  });

  it('seeds the running server; following its printed steps, the visitor gets the offer, redeems it and gets the code', async () => {
    const demo = await runDemo();
    expect(demo.code, demo.stderr).toBe(0);
    expect(demo.stdout).toContain('Demo ready: organisation "Demo Coffee"');
    expect(demo.stdout).toMatch(/Owner key {7}cf_/);
    expect(demo.stdout).toMatch(/Staff key {7}cf_/);
    expect(demo.stdout).toContain(`${baseUrl}/staff`);
    expect(demo.stdout).toContain(`${baseUrl}/admin/queues`);
    const inboxId = /Web chat inbox {2}(inb_\S+)/.exec(demo.stdout)?.[1];
    expect(inboxId).toBeDefined();

    // Step 1: say "coupon", exactly as the printed curl does.
    const say = printedPost(demo.stdout);
    expect(say.url).toBe(`${baseUrl}/api/v1/webchat/${inboxId}/messages`);
    expect(say.body).toMatchObject({ text: 'coupon' });
    await post(say.url, say.body);

    // Step 2: the offer, its button opening the redeem page.
    const history = printedHistoryUrl(demo.stdout);
    const [offer] = await botMessages(history, 1);
    expect(offer).toMatchObject({ type: 'offer', buttons: [{ url: expect.stringMatching(new RegExp(`^${baseUrl}/r/`)) }] });
    const redeemUrl = offer!.buttons[0]!.url;
    const page = await fetch(redeemUrl);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('10% off your next coffee');

    // Step 3: redeem on the page; the bot follows up with the code.
    const redeemed = await fetch(`${redeemUrl}/redeem`, { method: 'POST', headers: { Accept: 'application/json' } });
    expect(await redeemed.json()).toMatchObject({ status: 'redeemed', code: 'WELCOME10' });
    const [, followUp] = await botMessages(history, 2);
    expect(followUp).toMatchObject({ type: 'text', text: 'Enjoy! Your code is WELCOME10. Show it at the counter.' });

    // Step 4: once per customer — asking again leaves by customer_max_uses_reached.
    await post(say.url, say.body);
    const [, , again] = await botMessages(history, 3);
    expect(again!.text).toBe('You have already used your welcome coupon. See you soon!');
  });

  it('run again, makes a second demo organisation and says so', async () => {
    const first = /organisation "Demo Coffee" \((org_\S+)\)/.exec((await runDemo()).stdout)?.[1];
    const second = await runDemo();
    expect(second.code, second.stderr).toBe(0);
    const secondOrg = /organisation "Demo Coffee" \((org_\S+)\)/.exec(second.stdout)?.[1];
    expect(secondOrg).toBeDefined();
    expect(secondOrg).not.toBe(first);
    expect(second.stdout).toContain(`npm run demo ran here before — `);
    expect(second.stdout).toContain(first!);
  });
});

describe('the demo in the web app', () => {
  it('signing in with the printed owner key shows the demo flow on the canvas', async () => {
    const demo = await runDemo();
    expect(demo.code, demo.stderr).toBe(0);
    const ownerKey = /Owner key\s+(cf_\S+)/.exec(demo.stdout)![1]!;
    const canvasUrl = new RegExp(`(${baseUrl}/flows/\\S+)`).exec(demo.stdout)![1]!.replace(/\)$/, '');
    const browser = await launchChromium();
    try {
      const { page, errors } = await watchedPage(browser, baseUrl);
      await signIn(page, ownerKey);
      await page.getByRole('heading', { name: 'Flows' }).waitFor();
      await page.goto(canvasUrl);
      await page.locator('.react-flow__node').nth(6).waitFor();
      expect(await page.locator('.react-flow__node').count()).toBe(7);
      await page.getByTestId('node-coupon').getByText('Welcome 10% off').waitFor();
      expect(await page.locator('.react-flow__edge').count()).toBe(6);
      await screenshot(page, 'demo-canvas');
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
