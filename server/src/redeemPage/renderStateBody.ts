import type { RedeemPage, RedeemPageData } from '@couponflow/coupons';
import { escapeHtml } from './escapeHtml';
import { icon, type IconName } from './icons';
import { pageText } from './pageText';
import { renderCode } from './renderCode';
import { renderTime, type TimeFormat } from './renderTime';
import { wording } from './resolveSettings';
import { webUrlOrNull } from './safeValues';

export interface StateContext {
  data: RedeemPageData;
  settings: RedeemPage;
  redeemUrl: string;
  preview: boolean;
  time: TimeFormat;
}

/** The part of the card that depends on the record's state (SPEC §2.5). */
export function renderStateBody(ctx: StateContext): string {
  const { data, settings } = ctx;
  switch (data.state) {
    case 'ready':
      return renderReady(ctx);
    case 'redeemed': {
      const code = redeemedCode(data);
      return code ? renderRedeemed(ctx, code) : message('ban', 'bad', wording(settings, 'unavailable'));
    }
    case 'verified':
      return message('checkCircle', 'ok', pageText.verified, usedLine(ctx));
    case 'not_yet_redeemable':
      // The offer stands (a redemption window, a delay after sending, or a gap between redemptions).
      return message(
        'clock',
        'neutral',
        pageText.notYetRedeemable,
        data.redeemableFrom ? metaLine('clock', pageText.redeemableFrom, data.redeemableFrom, ctx.time) : '',
      );
    case 'not_started':
      return message('clock', 'neutral', pageText.notStarted, metaLine('clock', pageText.availableFrom, data.coupon.activePeriod.startsAt, ctx.time));
    case 'expired':
      return message('hourglass', 'bad', wording(settings, 'expired'));
    case 'revoked':
    case 'unavailable':
      return message('ban', 'bad', wording(settings, 'unavailable'));
    case 'limit_reached':
      return message('gift', 'bad', wording(settings, 'limitReached'));
  }
}

/** The code is not in the HTML at all until redeemed: hiding it with CSS would leak it to view-source. */
function renderReady(ctx: StateContext): string {
  const { settings, data } = ctx;
  const label = settings.redeemButton.mode === 'click' ? settings.redeemButton.label : pageText.redeemFallbackLabel;
  const validUntil = data.record.expiresAt ?? data.coupon.activePeriod.endsAt;
  return (
    `<div class="masked">${icon('lock')}<b aria-hidden="true">••••••</b></div>` +
    `<p class="hint">${escapeHtml(pageText.readyHint)}</p>` +
    `<form id="redeem" method="post" action="${escapeHtml(ctx.redeemUrl)}"${ctx.preview ? ' data-preview' : ''}>` +
    `<button class="btn" type="submit"><span>${escapeHtml(label)}</span></button></form>` +
    `<p class="error" id="redeem-error" role="alert" hidden>${escapeHtml(pageText.redeemFailed)}</p>` +
    (validUntil ? metaLine('clock', pageText.validUntil, validUntil, ctx.time) : '')
  );
}

function renderRedeemed(ctx: StateContext, code: string): string {
  const { settings, data } = ctx;
  const copy = settings.copyButton.enabled
    ? `<button class="btn btn-soft" type="button" id="copy" data-code="${escapeHtml(code)}" data-done="${escapeHtml(pageText.copied)}" hidden>` +
      `${icon('copy')}<span>${escapeHtml(settings.copyButton.label)}</span></button>`
    : '';
  const useUrl = settings.useButton ? webUrlOrNull(settings.useButton.url) : null;
  const use =
    settings.useButton && useUrl
      ? `<a class="btn" href="${escapeHtml(useUrl)}" target="_blank" rel="noopener noreferrer">` +
        `<span>${escapeHtml(settings.useButton.label)}</span>${icon('external')}</a>`
      : '';
  return (
    `<span class="badge">${icon('check')}${escapeHtml(pageText.redeemedBadge)}</span>` +
    `<p class="lead">${escapeHtml(wording(settings, 'redeemed'))}</p>` +
    renderCode(settings.codeDisplay, code) +
    staffReference(data) +
    (copy || use ? `<div class="actions">${copy}${use}</div>` : '') +
    (data.record.expiresAt ? metaLine('clock', pageText.validUntil, data.record.expiresAt, ctx.time) : '')
  );
}

function usedLine(ctx: StateContext): string {
  const code = redeemedCode(ctx.data);
  const used = ctx.data.record.verifiedAt ? metaLine('checkCircle', pageText.usedOn, ctx.data.record.verifiedAt, ctx.time) : '';
  return (code ? `<p class="used-code">${escapeHtml(code)}</p>` : '') + used;
}

/** Everyone shares a common code, so staff verify this customer's redemption by its id. */
function staffReference({ record, coupon }: RedeemPageData): string {
  if (coupon.code.type !== 'common') return '';
  return `<p class="meta"><span>${escapeHtml(pageText.staffReference)} <code>${escapeHtml(record.id)}</code></span></p>`;
}

function redeemedCode({ record, coupon }: RedeemPageData): string | null {
  return record.code ?? (coupon.code.type === 'common' && coupon.code.value ? coupon.code.value : null);
}

function message(iconName: IconName, tone: 'ok' | 'bad' | 'neutral', text: string, extra = ''): string {
  return `<div class="state state-${tone}"><div class="state-icon">${icon(iconName)}</div><h2>${escapeHtml(text)}</h2>${extra}</div>`;
}

function metaLine(iconName: IconName, label: string, iso: string, time: TimeFormat): string {
  const when = renderTime(iso, time);
  return when ? `<p class="meta">${icon(iconName)}<span>${escapeHtml(label)} ${when}</span></p>` : '';
}
