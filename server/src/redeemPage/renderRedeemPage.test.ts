import { describe, expect, it } from 'vitest';
import { renderRedeemPage } from './renderRedeemPage';
import { pageData, redeemUrl } from './testing/pageDataFixture';

const render = (input: Parameters<typeof pageData>[0]) => renderRedeemPage(pageData(input), { redeemUrl });

describe('a customer opens a coupon that is ready', () => {
  it('sees the Redeem button, a form that posts without JS, and the validity', () => {
    const html = render({ state: 'ready', settings: { redeemButton: { mode: 'click', label: 'Get my discount' } } });
    expect(html).toContain(`<form id="redeem" method="post" action="${redeemUrl}">`);
    expect(html).toContain('<button class="btn" type="submit"><span>Get my discount</span></button>');
    expect(html).toContain('<time datetime="2025-06-30T21:59:00.000Z" data-local>Jun 30, 2025, 9:59 PM UTC</time>');
  });

  it('cannot find the code anywhere in the page before pressing the button, not even in the source', () => {
    const html = render({ state: 'ready', couponCode: { type: 'common', value: 'SECRET-COMMON-CODE' } });
    expect(html).not.toContain('SECRET-COMMON-CODE');
    expect(html).not.toContain('id="copy"');
  });

  it('still gets a working button when a redeem-on-open page arrives unredeemed (e.g. a link preview)', () => {
    const html = render({ state: 'ready', settings: { redeemButton: { mode: 'on_open' } } });
    expect(html).toContain('<span>Redeem</span></button>');
  });
});

describe('a customer who redeemed', () => {
  const settings = {
    wordings: { redeemed: 'Show this at the till' },
    useButton: { label: 'Shop online', url: 'https://shop.example.com/spring' },
    copyButton: { enabled: true, label: 'Copy' },
  };

  it('sees the wording, the code, copy and use buttons, and until when it is valid', () => {
    const html = render({ state: 'redeemed', code: 'SPRING-2025', settings });
    expect(html).toContain('Show this at the till');
    expect(html).toContain('<div class="code code-text"><p>SPRING-2025</p></div>');
    expect(html).toMatch(/<button class="btn btn-soft" type="button" id="copy" data-code="SPRING-2025"[^>]* hidden>/);
    expect(html).toContain('<span>Copy</span>');
    expect(html).toContain('<a class="btn" href="https://shop.example.com/spring" target="_blank" rel="noopener noreferrer"><span>Shop online</span>');
    expect(html).toContain('Valid until <time datetime="2025-06-30T21:59:00.000Z"');
    expect(html).not.toContain('<form');
  });

  it('gets no copy button when the admin turned it off, and no use button unless one is set', () => {
    const html = render({ state: 'redeemed', settings: { copyButton: { enabled: false } } });
    expect(html).not.toContain('id="copy"');
    expect(html).not.toContain('<a class="btn"');
  });

  it('sees a barcode when the coupon shows one', () => {
    expect(render({ state: 'redeemed', code: 'SPRING-2025', settings: { codeDisplay: 'code128' } })).toContain('class="barcode barcode-code128"');
  });

  it('still sees the code as text when the symbology cannot draw it', () => {
    const html = render({ state: 'redeemed', code: 'NOT-DIGITS', settings: { codeDisplay: 'ean13' } });
    expect(html).not.toContain('class="barcode');
    expect(html).toContain('<p>NOT-DIGITS</p>');
  });
});

describe('every other state says what applies', () => {
  const wordings = { expired: 'Too late, sorry!', unavailable: 'Gone for now.', limitReached: 'Snapped up!' };

  it.each([
    ['expired', 'Too late, sorry!'],
    ['revoked', 'Gone for now.'],
    ['unavailable', 'Gone for now.'],
    ['limit_reached', 'Snapped up!'],
  ] as const)('%s shows its wording and no code or button', (state, text) => {
    const html = render({ state, settings: { wordings } });
    expect(html).toContain(`<h2>${text}</h2>`);
    expect(html).not.toContain('<form');
    expect(html).not.toContain('SPRING-2025');
  });

  it('not started says when it starts', () => {
    const html = render({ state: 'not_started' });
    expect(html).toContain('This coupon is not available yet.');
    expect(html).toContain('Available from <time datetime="2025-03-01T09:00:00.000Z"');
  });

  it('verified says it was used, and when', () => {
    const html = render({ state: 'verified', code: 'SPRING-2025' });
    expect(html).toContain('This coupon has been used.');
    expect(html).toContain('Used on <time datetime="2025-03-03T12:30:00.000Z"');
    expect(html).not.toContain('id="copy"');
  });

  it('a blank wording falls back to the default one', () => {
    expect(render({ state: 'expired', settings: { wordings: { expired: '  ' } } })).toContain('<h2>This coupon has expired.</h2>');
  });
});

describe('the look the admin designed', () => {
  it('uses the title, or the coupon name when there is none', () => {
    expect(render({ state: 'ready', settings: { title: '20% off coffee' } })).toContain('<h1>20% off coffee</h1>');
    expect(render({ state: 'ready', name: 'Spring sale' })).toContain('<h1>Spring sale</h1><');
  });

  it('paints the page and buttons in the coupon colours', () => {
    const html = render({ state: 'ready', settings: { backgroundColor: '#102030', buttonColor: '#FFCC00', buttonTextColor: '#000000' } });
    expect(html).toContain(':root{--bg:#102030;--btn:#ffcc00;--btn-text:#000000}');
    expect(html).toContain('<meta name="theme-color" content="#102030">');
  });

  it('shows https images without leaking the token-bearing URL as a Referer', () => {
    const html = render({
      state: 'ready',
      settings: { campaignImageUrl: 'https://cdn.example.com/spring.jpg', brandIconUrl: 'https://cdn.example.com/logo.png' },
    });
    expect(html).toContain('<img class="hero" src="https://cdn.example.com/spring.jpg" alt="" referrerpolicy="no-referrer"');
    expect(html).toContain('<img class="brand" src="https://cdn.example.com/logo.png"');
    expect(html).toContain('<meta name="referrer" content="no-referrer">');
  });

  it.each(['http://cdn.example.com/a.jpg', 'javascript:alert(1)', 'data:image/png;base64,AAAA', '//cdn.example.com/a.jpg', '/a.jpg'])(
    'draws no image for %s, even if it slipped past the schema',
    (url) => {
      const data = pageData({ state: 'ready' });
      data.coupon.redeemPage = { ...data.coupon.redeemPage, campaignImageUrl: url, brandIconUrl: url };
      const html = renderRedeemPage(data, { redeemUrl });
      expect(html).not.toContain('<img');
      expect(html).not.toContain(url);
    },
  );

  it('shows the terms, folded, under the card', () => {
    expect(render({ state: 'ready', settings: { terms: 'One per customer.' } })).toContain(
      '<details class="terms"><summary>Terms &amp; conditions</summary><div class="terms-body"><p>One per customer.</p></div></details>',
    );
  });
});

describe('a customer who may redeem only later (a redemption window, a delay, a gap between redemptions)', () => {
  it('sees when the coupon can be redeemed, no Redeem button and no code, and the terms', () => {
    const html = render({ state: 'not_yet_redeemable', redeemableFrom: '2025-03-10T08:00:00.000Z', settings: { terms: 'One per visit.' } });
    expect(html).toContain('You can redeem this coupon a little later.');
    expect(html).toContain('Redeemable from <time datetime="2025-03-10T08:00:00.000Z" data-local>Mar 10, 2025, 8:00 AM UTC</time>');
    expect(html).not.toContain('<form');
    expect(html).not.toContain('SPRING-2025');
    expect(html).toContain('One per visit.');
  });
});

describe('the coupon’s display value', () => {
  it('shows a percentage, an amount in its currency, or a free item under the title, escaped', () => {
    expect(render({ state: 'ready', discount: { type: 'percent', value: 15 } })).toContain('<p class="discount">15% off</p>');
    expect(render({ state: 'ready', discount: { type: 'amount', value: 500, currency: 'JPY' } })).toContain('<p class="discount">¥500 off</p>');
    expect(render({ state: 'redeemed', discount: { type: 'free_item', value: '<b>Coffee</b>' } })).toContain(
      '<p class="discount">Free: &lt;b&gt;Coffee&lt;/b&gt;</p>',
    );
  });

  it('is not shown once the coupon is over', () => {
    expect(render({ state: 'expired', discount: { type: 'percent', value: 15 } })).not.toContain('class="discount"');
  });
});

describe('pages of a saved design (kept encoded between views)', () => {
  /** As the engine hands a saved design: one frozen object shared by every view of that settings text. */
  const saved = (input: Parameters<typeof pageData>[0]) => {
    const data = pageData(input);
    return { ...data, coupon: { ...data.coupon, redeemPage: deepFrozen(structuredClone(data.coupon.redeemPage)) } };
  };
  const deepFrozen = <T>(value: T): T => {
    if (value && typeof value === 'object') for (const inner of Object.values(Object.freeze(value))) deepFrozen(inner);
    return value;
  };
  const settings = { title: 'Spring at the till', terms: 'One per *visit*', backgroundColor: '#102030' };

  it('are the same bytes as a page drawn afresh, view after view, in every state', () => {
    for (const state of ['ready', 'redeemed', 'expired', 'not_started'] as const) {
      const data = saved({ state, settings, discount: { type: 'amount', value: 5, currency: 'EUR' } });
      const fresh = render({ state, settings, discount: { type: 'amount', value: 5, currency: 'EUR' } });
      expect(renderRedeemPage(data, { redeemUrl })).toBe(fresh);
      expect(renderRedeemPage(data, { redeemUrl })).toBe(fresh);
    }
  });

  it('show a changed design, title and preview flag at once', () => {
    const before = saved({ state: 'ready', settings });
    expect(renderRedeemPage(before, { redeemUrl })).toContain('<h1>Spring at the till</h1>');
    const after = saved({ state: 'ready', settings: { ...settings, title: 'Summer at the till', terms: 'Two per visit' } });
    const html = renderRedeemPage(after, { redeemUrl });
    expect(html).toContain('<h1>Summer at the till</h1>');
    expect(html).toContain('Two per visit');
    expect(html).not.toContain('One per');
    const untitled = saved({ state: 'ready', settings: { ...settings, title: '' } });
    expect(renderRedeemPage(untitled, { redeemUrl })).toContain('<h1>Spring sale</h1>');
    const renamed = { ...untitled, coupon: { ...untitled.coupon, name: 'Renamed' } };
    expect(renderRedeemPage(renamed, { redeemUrl })).toContain('<h1>Renamed</h1>');
    expect(renderRedeemPage(before, { redeemUrl, preview: true })).toContain('class="preview-flag"');
    expect(renderRedeemPage(before, { redeemUrl })).not.toContain('class="preview-flag"');
  });
});
