import { describe, expect, it } from 'vitest';
import { renderPreview } from './renderPreview';

const now = new Date('2025-05-01T12:00:00.000Z');

describe('the designer previews an unsaved redeem page', () => {
  it('shows a sample coupon under the given name, flagged as a preview, whose button posts nothing', () => {
    const html = renderPreview({ title: null }, 'ready', 'Mother’s Day', { now });
    expect(html).toContain('<h1>Mother’s Day</h1>');
    expect(html).toContain('<p class="preview-flag">Preview</p>');
    expect(html).toContain('<form id="redeem" method="post" action="#" data-preview>');
  });

  it('draws a sample code every symbology can encode', () => {
    expect(renderPreview({ codeDisplay: 'ean13' }, 'redeemed', 'x', { now })).toContain('aria-label="EAN-13: 4012345678901"');
    expect(renderPreview({ codeDisplay: 'code39' }, 'redeemed', 'x', { now })).toContain('class="barcode barcode-code39"');
  });

  it('keeps the valid fields and defaults the invalid ones while the admin is typing', () => {
    const html = renderPreview({ buttonColor: '#12', backgroundColor: '#224466', campaignImageUrl: 'http://insecure.example/a.png' }, 'ready', 'x', { now });
    expect(html).toContain(':root{--bg:#224466;--btn:#1f6feb;');
    expect(html).not.toContain('<img');
  });

  it('renders every state the designer can pick', () => {
    const states = ['ready', 'redeemed', 'verified', 'expired', 'not_started', 'revoked', 'unavailable', 'limit_reached'] as const;
    for (const state of states) expect(renderPreview({}, state, 'x', { now })).toMatch(/^<!doctype html>.*<\/html>$/s);
    expect(renderPreview({}, 'limit_reached', 'x', { now })).toContain('All coupons have been claimed.');
  });

  it('survives settings that are not even an object', () => {
    expect(renderPreview(null)).toContain('<h1>Your coupon</h1>');
    expect(renderPreview('nonsense')).toContain('<h1>Your coupon</h1>');
  });
});
