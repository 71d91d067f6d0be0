import { describe, expect, it } from 'vitest';
import { codeDisplays } from '@couponflow/coupons';
import { renderRedeemPage } from './renderRedeemPage';
import { pageData, redeemUrl } from './testing/pageDataFixture';

const scriptTag = '<script>alert(1)</script>';
const quoteBreak = '" onmouseover="x';
const hostile = `${scriptTag} ${quoteBreak} '><img src=x onerror=alert(2)>`;

describe('whatever the admin types stays text', () => {
  const settings = {
    title: hostile.slice(0, 100),
    terms: `## ${hostile}\n- ${hostile}\n\n[${hostile}](https://x.example/${quoteBreak})\n\n${hostile}`,
    wordings: { redeemed: hostile, expired: hostile },
    copyButton: { enabled: true, label: hostile.slice(0, 40) },
    useButton: { label: hostile.slice(0, 40), url: 'https://shop.example.com/?q="><script>' },
  };

  it.each(['ready', 'redeemed', 'expired'] as const)('on the %s page: no script but the page’s own, no quote break, no handler', (state) => {
    const html = renderRedeemPage(pageData({ state, name: hostile, settings }), { redeemUrl });
    expect(html.match(/<script/gi)).toHaveLength(1);
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain(quoteBreak);
    expect(html).not.toMatch(/<img src=x/i);
    expect(html).not.toMatch(/<[^>]*\son\w+=/i); // no event handler attribute inside any tag
  });

  it('the terms on the ready page read back as the text the admin typed', () => {
    const html = renderRedeemPage(pageData({ state: 'ready', settings: { terms: `Note: ${scriptTag} and ${quoteBreak}` } }), { redeemUrl });
    expect(html).toContain('<p>Note: &lt;script&gt;alert(1)&lt;/script&gt; and &quot; onmouseover=&quot;x</p>');
  });

  it('a code with markup characters is shown, copied and encoded as text', () => {
    const html = renderRedeemPage(pageData({ state: 'redeemed', code: `A"<b>'&`, settings: { codeDisplay: 'qrcode' } }), { redeemUrl });
    expect(html).toContain('data-code="A&quot;&lt;b&gt;&#39;&amp;"');
    expect(html).not.toContain('<b>');
  });
});

describe('the page is light and self-contained', () => {
  const bigCampaign = {
    title: 'Spring sale: 20% off everything in store and online, this week only, for members! '.padEnd(100, '!'),
    terms: Array.from({ length: 60 }, (_, i) => `- Rule ${i + 1}: offer valid once per customer & not with other offers; see **store** for details.`)
      .join('\n')
      .padEnd(10_000, ' More text.')
      .slice(0, 10_000),
    wordings: { redeemed: 'Show this code at the counter before you pay. '.repeat(4).slice(0, 200) },
    campaignImageUrl: `https://cdn.example.com/${'campaign/'.repeat(200)}`.slice(0, 2000),
    brandIconUrl: `https://cdn.example.com/${'brand/'.repeat(300)}`.slice(0, 2000),
    useButton: { label: 'Continue shopping in our online store', url: `https://shop.example.com/${'a'.repeat(1900)}` },
  };
  const longest = { text: 'PROMO-ABCDEFGHJKLMNPQRSTUVWXYZ23', qrcode: 'PROMO-ABCDEFGHJKLMNPQRSTUVWXYZ23', code128: 'Promo-abcdefghjklmnpqrstuvwxyz23', code39: 'PROMO-ABCDEFGHJKLMNPQRSTUVWXYZ23', ean13: '590123412345' };

  it.each(codeDisplays)('a redeemed %s page of a large campaign stays under 50 KB', (codeDisplay) => {
    const html = renderRedeemPage(pageData({ state: 'redeemed', code: longest[codeDisplay], settings: { ...bigCampaign, codeDisplay } }), { redeemUrl });
    expect(Buffer.byteLength(html, 'utf8')).toBeLessThan(50 * 1024);
  });

  it('loads no external script, stylesheet or font', () => {
    const html = renderRedeemPage(pageData({ state: 'redeemed', settings: bigCampaign }), { redeemUrl });
    expect(html).not.toMatch(/<script[^>]+src=/i);
    expect(html).not.toMatch(/<link/i);
    expect(html).not.toMatch(/@import|url\(/i);
  });
});
