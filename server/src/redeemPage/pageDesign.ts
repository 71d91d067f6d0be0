import type { RedeemPage } from '@couponflow/coupons';
import { resolveSettings } from './resolveSettings';

/** A coupon's redeem page design, resolved; `id` names it for caches while it cannot change. */
export interface PageDesign {
  settings: RedeemPage;
  id: number | null;
}

const designs = new WeakMap<object, PageDesign>();
let nextId = 1;

/**
 * The design a page draws, resolved once per settings object. Only a frozen one is remembered (the
 * engine's shared decoding of a coupon's settings text, see couponColumns): it cannot change
 * under the cache, and a changed design arrives as another object. Anything else (an unsaved
 * preview, a PostgreSQL row) is resolved each time.
 */
export function pageDesign(redeemPage: RedeemPage): PageDesign {
  if (!Object.isFrozen(redeemPage)) return { settings: resolveSettings(redeemPage), id: null };
  let design = designs.get(redeemPage);
  if (!design) designs.set(redeemPage, (design = { settings: resolveSettings(redeemPage), id: nextId++ }));
  return design;
}
