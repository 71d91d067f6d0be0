import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { repoRoot } from './npmStart';

/** Where the browser tests leave their screenshots (git-ignored). */
export const screenshotDir = join(repoRoot, 'e2e', 'screenshots');

/** Debian's Chromium, headless, nothing phoning home. */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}

export interface WatchedPage {
  page: Page;
  context: BrowserContext;
  /** uncaught exceptions and console errors seen so far */
  errors: string[];
}

/**
 * A page whose uncaught exceptions, console errors and 5xx answers are collected, so a test can
 * fail on them. Chromium's own "Failed to load resource" lines for 4xx answers are left out: the
 * app expects them (401 before signing in, 409/422 refusals) and shows them as messages.
 */
export async function watchedPage(browser: Browser, baseURL: string): Promise<WatchedPage> {
  const context = await browser.newContext({ baseURL, viewport: { width: 1440, height: 900 } });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const errors: string[] = [];
  const watch = (p: Page) => {
    p.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
    p.on('console', (message) => {
      if (message.type() !== 'error') return;
      if (/^Failed to load resource: the server responded with a status of 4\d\d/.test(message.text())) return;
      errors.push(`console: ${message.text()} (${p.url()})`);
    });
    p.on('response', (response) => response.status() >= 500 && errors.push(`${response.status()} from ${response.url()}`));
  };
  watch(page);
  context.on('page', watch);
  return { page, context, errors };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: join(screenshotDir, `${name}.png`) });
}

export async function signIn(page: Page, apiKey: string): Promise<void> {
  await page.goto('/');
  await page.getByLabel('API key').fill(apiKey);
  await page.getByRole('button', { name: 'Sign in' }).click();
}
