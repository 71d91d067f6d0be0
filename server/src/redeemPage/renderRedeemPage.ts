import type { RedeemPageData } from '@couponflow/coupons';
import { escapeHtml } from './escapeHtml';
import { pageText } from './pageText';
import { pageDesign } from './pageDesign';
import { pageFrame } from './pageFrame';
import { chunksToString, documentFrame, type PageChunks } from './renderDocument';
import { renderStateBody } from './renderStateBody';
import { renderDiscount } from './renderDiscount';
import { renderTerms } from './renderTerms';
import { httpsUrlOrNull } from './safeValues';

export interface RedeemPageOptions {
  /** Where the Redeem form posts (`/r/:token/redeem`): JSON for the page's fetch, a redirect for a plain post. */
  redeemUrl: string;
  /** Server-side date format until the page script switches to the phone's own (defaults: en, UTC). */
  locale?: string;
  timeZone?: string;
  /** The designer's preview: a "Preview" flag, and the Redeem button posts nothing. */
  preview?: boolean;
}

/** States whose card shows the campaign's terms (the others have nothing left to use them for). */
const statesWithTerms = new Set<RedeemPageData['state']>(['ready', 'redeemed', 'not_started', 'not_yet_redeemable']);

/** `GET /r/:token`: the whole redeem page for one record, as one HTML string (SPEC §2.5). */
export function renderRedeemPage(data: RedeemPageData, options: RedeemPageOptions): string {
  return chunksToString(redeemPageChunks(data, options));
}

/**
 * The same page as chunks: the state's body between the frame around it, which depends only on the
 * design, the title, the locale and whether terms show, and is kept encoded (see pageFrame).
 */
export function redeemPageChunks(data: RedeemPageData, options: RedeemPageOptions): PageChunks {
  const design = pageDesign(data.coupon.redeemPage);
  const { settings } = design;
  const locale = options.locale ?? 'en';
  const preview = options.preview ?? false;
  const body = renderStateBody({ data, settings, redeemUrl: options.redeemUrl, preview, time: { locale, timeZone: options.timeZone ?? 'UTC' } });
  const withTerms = statesWithTerms.has(data.state);
  const title = settings.title?.trim() || data.coupon.name;
  const discount = withTerms ? renderDiscount(data.coupon.discount, locale) : '';
  const frame = pageFrame(design, `${locale}\u0000${title}\u0000${discount}\u0000${preview}\u0000${withTerms}`, () => {
    const card =
      (preview ? `<p class="preview-flag">${escapeHtml(pageText.preview)}</p>` : '') +
      '<article class="card">' +
      renderImage(settings.campaignImageUrl, 'hero') +
      `<header class="head">${renderImage(settings.brandIconUrl, 'brand')}<h1>${escapeHtml(title)}</h1>${discount}</header>` +
      '<div class="perf" aria-hidden="true"></div><section class="body">';
    const document = documentFrame({
      lang: locale,
      title,
      theme: { background: settings.backgroundColor, button: settings.buttonColor, buttonText: settings.buttonTextColor },
    });
    const terms = withTerms ? renderTermsSection(settings.terms) : '';
    return { before: [...document.before, `<main class="page">${card}`], after: [`</section>${terms}</article></main>`, ...document.after] };
  });
  return [...frame.before, body, ...frame.after];
}

/** Only absolute https URLs are drawn; anything else (http:, javascript:, data:, relative) is dropped. */
function renderImage(url: string | null, className: 'hero' | 'brand'): string {
  const src = httpsUrlOrNull(url);
  if (!src) return '';
  const size = className === 'brand' ? ' width="64" height="64"' : '';
  return `<img class="${className}" src="${escapeHtml(src)}" alt=""${size} referrerpolicy="no-referrer" decoding="async">`;
}

function renderTermsSection(terms: string): string {
  const html = renderTerms(terms);
  if (!html) return '';
  return `<details class="terms"><summary>${escapeHtml(pageText.terms)}</summary><div class="terms-body">${html}</div></details>`;
}
