import { describe, expect, it } from 'vitest';
import type { CodeDisplay } from '@couponflow/coupons';
import { renderBarcodeSvg } from './renderBarcodeSvg';
import { renderRedeemPage } from './renderRedeemPage';
import { pageData, redeemUrl } from './testing/pageDataFixture';
import { barcodeSvgOf, scanBarcode } from './testing/scanBarcode';

/** The barcode exactly as the redeemed page shows it: cut out of the page's HTML. */
function barcodeOnPage(codeDisplay: Exclude<CodeDisplay, 'text'>, code: string): string {
  return barcodeSvgOf(renderRedeemPage(pageData({ state: 'redeemed', code, settings: { codeDisplay } }), { redeemUrl }));
}

describe('a redeemed code scans back to itself at the counter', () => {
  it('QR code: a unique code with mixed case and symbols', () => {
    expect(scanBarcode(barcodeOnPage('qrcode', 'Ab3#x.Y_z-9@'))).toBe('Ab3#x.Y_z-9@');
  });

  it('Code 128: any printable code, short or as long as codes get', () => {
    expect(scanBarcode(barcodeOnPage('code128', 'Ab3#x.Y_z-9@'))).toBe('Ab3#x.Y_z-9@');
    const longest = 'PROMO-ABCDEFGHJKLMNPQRSTUVWXYZ23';
    expect(longest).toHaveLength(32);
    expect(scanBarcode(barcodeOnPage('code128', longest))).toBe(longest);
  });

  it('Code 39: upper-case letters, digits and - .', () => {
    expect(scanBarcode(barcodeOnPage('code39', 'SAVE-10.OFF'))).toBe('SAVE-10.OFF');
  });

  it('EAN-13: the 12 stored digits come back with the right check digit', () => {
    expect(scanBarcode(barcodeOnPage('ean13', '590123412345'))).toBe('5901234123457');
    expect(scanBarcode(barcodeOnPage('ean13', '401234567890'))).toBe('4012345678901');
  });

  it('EAN-13: a 13-digit code that already carries its check digit scans unchanged', () => {
    expect(scanBarcode(barcodeOnPage('ean13', '4006381333931'))).toBe('4006381333931');
  });
});

describe('the barcode SVG', () => {
  it('carries the human-readable code under 1D and QR symbols, and names it for screen readers', () => {
    const svg = renderBarcodeSvg('code128', 'SPRING-2025');
    expect(svg).toMatch(/<text [^>]*>SPRING-2025<\/text><\/svg>$/);
    expect(svg).toContain('aria-label="Code 128: SPRING-2025"');
    expect(renderBarcodeSvg('qrcode', 'SPRING-2025')).toContain('>SPRING-2025</text>');
  });

  it('lets bwip-js draw EAN-13 digits in their standard place, check digit included in the label', () => {
    const svg = renderBarcodeSvg('ean13', '590123412345');
    expect(svg).toContain('aria-label="EAN-13: 5901234123457"');
    expect(svg).not.toContain('<text');
  });

  it('escapes the code it writes as text', () => {
    const svg = renderBarcodeSvg('qrcode', '<b>&"x"');
    expect(svg).toContain('&lt;b&gt;&amp;&quot;x&quot;');
    expect(svg).not.toContain('<b>');
  });

  it('refuses a code the symbology cannot encode', () => {
    expect(() => renderBarcodeSvg('ean13', 'ABC')).toThrow();
  });
});
