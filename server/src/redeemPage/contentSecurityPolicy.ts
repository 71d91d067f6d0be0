import { pageScriptHash } from './pageScript';

/**
 * The header to send with every page of this module (redeem, not-found, preview).
 * - script-src: only the page's one inline script, by its SHA-256 hash (it is the same on every page).
 * - style-src 'unsafe-inline': the <style> carries the coupon's colours, so its hash changes per
 *   coupon; the colours are #rrggbb-checked and nothing else the admin types reaches CSS.
 * - img-src https: campaign image and brand icon live on the admin's own hosts (https only).
 * - form-action/connect-src 'self': the redeem form posts (and the script fetches) to the same origin.
 * - frame-ancestors: 'none' for customers; the admin designer's phone-frame preview needs 'self'.
 */
export function redeemPageCsp(options: { framedBySelf?: boolean } = {}): string {
  return [
    "default-src 'none'",
    `script-src ${pageScriptHash}`,
    "style-src 'unsafe-inline'",
    'img-src https:',
    "connect-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    `frame-ancestors ${options.framedBySelf ? "'self'" : "'none'"}`,
  ].join('; ');
}
