import type { Discount } from '@couponflow/coupons';
import { escapeHtml } from './escapeHtml';
import { pageText } from './pageText';

/** The coupon's display value under its title ("20% off", "€5.00 off", "Free: Coffee"); nothing when unset. */
export function renderDiscount(discount: Discount | null, locale: string): string {
  if (!discount) return '';
  return `<p class="discount">${escapeHtml(discountText(discount, locale))}</p>`;
}

export function discountText(discount: Discount, locale: string): string {
  switch (discount.type) {
    case 'percent':
      return pageText.percentOff(numberFormat(locale, null).format(discount.value));
    case 'amount':
      return pageText.amountOff(numberFormat(locale, discount.currency).format(discount.value));
    case 'free_item':
      return pageText.freeItem(discount.value);
  }
}

// Building a formatter costs far more than formatting with one: kept per locale and currency.
const formats = new Map<string, Intl.NumberFormat>();

function numberFormat(locale: string, currency: string | null): Intl.NumberFormat {
  const key = `${locale} ${currency ?? '%'}`;
  let format = formats.get(key);
  if (!format) {
    format = currency === null ? new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }) : new Intl.NumberFormat(locale, { style: 'currency', currency });
    if (formats.size >= 100) formats.clear();
    formats.set(key, format);
  }
  return format;
}
