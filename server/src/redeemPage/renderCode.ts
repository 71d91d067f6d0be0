import { canDisplayCode, type CodeDisplay } from '@couponflow/coupons';
import { escapeHtml } from './escapeHtml';
import { renderBarcodeSvg } from './renderBarcodeSvg';

/**
 * The redeemed code as the coupon's settings ask: a barcode (inline SVG, text under it) or large
 * text. A code the symbology cannot draw (say, an imported code after the display was changed)
 * falls back to text rather than failing the customer's page.
 */
export function renderCode(display: CodeDisplay, code: string): string {
  if (display !== 'text' && canDisplayCode(display, code)) {
    try {
      return `<div class="code code-${display}">${renderBarcodeSvg(display, code)}</div>`;
    } catch {
      // fall through to text
    }
  }
  return `<div class="code code-text"><p>${escapeHtml(code)}</p></div>`;
}
