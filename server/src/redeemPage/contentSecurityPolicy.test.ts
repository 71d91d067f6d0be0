import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { redeemPageCsp } from './contentSecurityPolicy';
import { renderNotFoundPage } from './renderNotFoundPage';
import { renderPreview } from './renderPreview';
import { renderRedeemPage } from './renderRedeemPage';
import { pageData, redeemUrl } from './testing/pageDataFixture';

const inlineScriptHash = (html: string) => {
  const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
  expect(scripts).toHaveLength(1);
  return `'sha256-${createHash('sha256').update(scripts[0]!).digest('base64')}'`;
};

describe('the Content-Security-Policy for these pages', () => {
  it('allows exactly the inline script every page carries, by hash', () => {
    const pages = [
      renderRedeemPage(pageData({ state: 'ready' }), { redeemUrl }),
      renderRedeemPage(pageData({ state: 'redeemed', settings: { codeDisplay: 'qrcode', buttonColor: '#000000' } }), { redeemUrl }),
      renderNotFoundPage(),
      renderPreview({}),
    ];
    for (const html of pages) expect(redeemPageCsp()).toContain(`script-src ${inlineScriptHash(html)};`);
  });

  it('lets only the designer (same origin) frame the page', () => {
    expect(redeemPageCsp()).toContain("frame-ancestors 'none'");
    expect(redeemPageCsp({ framedBySelf: true })).toContain("frame-ancestors 'self'");
  });
});
