import type { CouponSettings } from './couponSchema';
import { canDisplayCode, canDisplayGeneratedCodes } from './symbology';

/** A code the chosen symbology cannot draw is refused when the coupon is saved (SPEC §2.5). */
export function redeemPageProblem(code: CouponSettings['code'], redeemPage: CouponSettings['redeemPage']): string | null {
  const display = redeemPage.codeDisplay;
  if (code.type === 'common') {
    if (code.value && !canDisplayCode(display, code.value)) return `the code ${code.value} cannot be drawn as ${display}`;
    return null;
  }
  return canDisplayGeneratedCodes(display, code.charset, code.length, code.prefix ?? '');
}
