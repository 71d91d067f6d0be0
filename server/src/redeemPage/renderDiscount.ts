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
      return pageText.percentOff(new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(discount.value));
    case 'amount':
      return pageText.amountOff(new Intl.NumberFormat(locale, { style: 'currency', currency: discount.currency }).format(discount.value));
    case 'free_item':
      return pageText.freeItem(discount.value);
  }
}
