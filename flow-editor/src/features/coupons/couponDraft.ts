import type { Coupon } from './couponState';

/** The editable part of a coupon (SPEC §2.1): what the form holds and sends. */
export type CouponDraft = Pick<Coupon, 'name' | 'code' | 'activePeriod' | 'totalLimit' | 'perCustomerLimit' | 'active' | 'usageExpiry' | 'redeemPage' | 'contactTags'>;
export type RedeemPage = CouponDraft['redeemPage'];

export const defaultRedeemPage: RedeemPage = {
  codeDisplay: 'qrcode',
  redeemButton: { mode: 'click', label: 'Redeem' },
  useButton: null,
  copyButton: { enabled: true, label: 'Copy code' },
  backgroundColor: '#f4f4f6',
  buttonColor: '#4f46e5',
  buttonTextColor: '#ffffff',
  brandIconUrl: null,
  campaignImageUrl: null,
  title: null,
  terms: '',
  wordings: {
    redeemed: 'Show this code at the counter.',
    expired: 'This coupon has expired.',
    unavailable: 'This coupon is not available.',
    limitReached: 'All coupons have been claimed.',
  },
};

export function newDraft(): CouponDraft {
  const start = new Date();
  start.setMinutes(0, 0, 0);
  return {
    name: '',
    code: { type: 'common' },
    activePeriod: { startsAt: start.toISOString(), endsAt: null },
    totalLimit: null,
    perCustomerLimit: 1,
    active: true,
    usageExpiry: { type: 'active_period' },
    redeemPage: defaultRedeemPage,
    contactTags: {},
  };
}

export function draftOf(coupon: Coupon): CouponDraft {
  const { name, code, activePeriod, totalLimit, perCustomerLimit, active, usageExpiry, redeemPage, contactTags } = coupon;
  return { name, code, activePeriod, totalLimit, perCustomerLimit, active, usageExpiry, redeemPage, contactTags };
}

const codeValue = /^[A-Za-z0-9@#._-]{4,32}$/;
const https = /^https:\/\/\S+$/;
const http = /^https?:\/\/\S+$/;

/** Field path → message, as the user types; the server re-checks everything on save. */
export function validateDraft(d: CouponDraft, original?: CouponDraft): Record<string, string> {
  const e: Record<string, string> = {};
  const name = d.name.trim();
  if (!name) e.name = 'Give the coupon a name';
  else if (name.length > 100) e.name = 'At most 100 characters';
  if (d.code.type === 'common' && d.code.value !== undefined && d.code.value !== '' && !codeValue.test(d.code.value))
    e['code.value'] = '4–32 characters: letters, digits and @ # . _ -';
  if (d.code.type === 'unique') {
    if (!(d.code.length >= 6 && d.code.length <= 32)) e['code.length'] = 'Between 6 and 32';
    if (d.code.prefix && !/^[A-Za-z0-9@#._-]{1,16}$/.test(d.code.prefix)) e['code.prefix'] = 'Letters, digits and @ # . _ -';
  }
  if (!d.activePeriod.startsAt) e['activePeriod.startsAt'] = 'Choose when it starts';
  const ends = d.activePeriod.endsAt;
  if (ends && d.activePeriod.startsAt && Date.parse(ends) <= Date.parse(d.activePeriod.startsAt)) e['activePeriod.endsAt'] = 'Must be after the start';
  const wasEnds = original?.activePeriod.endsAt;
  if (original && wasEnds !== undefined && (ends === null ? false : wasEnds === null || Date.parse(ends) < Date.parse(wasEnds)))
    e['activePeriod.endsAt'] = 'Customers already hold this coupon: the end can be extended, not brought forward';
  for (const key of ['totalLimit', 'perCustomerLimit'] as const) {
    const v = d[key];
    if (v !== null && (!Number.isInteger(v) || v < 1 || v > 1_000_000)) e[key] = 'A whole number from 1 to 1,000,000, or empty for no limit';
  }
  if (d.usageExpiry.type !== 'active_period' && !(Number.isInteger(d.usageExpiry.days) && d.usageExpiry.days >= 1)) e['usageExpiry.days'] = 'At least 1 day';
  const p = d.redeemPage;
  if (p.campaignImageUrl && !https.test(p.campaignImageUrl)) e['redeemPage.campaignImageUrl'] = 'Must be an https URL';
  if (p.brandIconUrl && !https.test(p.brandIconUrl)) e['redeemPage.brandIconUrl'] = 'Must be an https URL';
  if (p.useButton && !http.test(p.useButton.url)) e['redeemPage.useButton.url'] = 'Must be an http(s) URL';
  if (p.useButton && !p.useButton.label.trim()) e['redeemPage.useButton.label'] = 'Required';
  if (p.redeemButton.mode === 'click' && !p.redeemButton.label.trim()) e['redeemPage.redeemButton.label'] = 'Required';
  for (const key of ['backgroundColor', 'buttonColor', 'buttonTextColor'] as const)
    if (!/^#[0-9a-fA-F]{6}$/.test(p[key])) e[`redeemPage.${key}`] = 'A colour like #1f6feb';
  if (p.codeDisplay === 'ean13' && d.code.type === 'common' && d.code.value && !/^\d{12,13}$/.test(d.code.value))
    e['redeemPage.codeDisplay'] = 'EAN-13 shows 12 or 13 digits only; this code cannot be drawn';
  return e;
}
