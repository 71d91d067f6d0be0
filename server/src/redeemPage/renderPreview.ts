import type { PageState } from '@couponflow/coupons';
import { renderRedeemPage } from './renderRedeemPage';
import { resolveSettings } from './resolveSettings';
import { sampleRedeemPageData } from './sampleRedeemPageData';

export interface PreviewOptions {
  now?: Date;
  locale?: string;
  timeZone?: string;
}

/**
 * The admin designer's live phone-frame preview of an unsaved redeem page configuration: a sample
 * record of a coupon named `couponName` in `state`, drawn by the same renderer customers get.
 * Invalid fields (the admin is mid-typing) fall back to their defaults instead of failing.
 */
export function renderPreview(settings: unknown, state: PageState = 'ready', couponName = 'Your coupon', options: PreviewOptions = {}): string {
  const data = sampleRedeemPageData(resolveSettings(settings), state, couponName, options.now ?? new Date());
  return renderRedeemPage(data, { redeemUrl: '#', preview: true, locale: options.locale, timeZone: options.timeZone });
}
