import type { CodeDisplay, CouponView, PageState, RedeemPage, RedeemPageData } from '@couponflow/coupons';

/** A code every symbology can draw the way real codes of that display look. */
export const sampleCodes: Record<CodeDisplay, string> = {
  text: 'WELCOME10',
  qrcode: 'WELCOME10',
  code128: 'WELCOME10',
  code39: 'WELCOME10',
  ean13: '401234567890',
};

const day = 24 * 60 * 60 * 1000;

/** A made-up coupon and record in `state`, wearing `settings`: what the designer's preview draws. */
export function sampleRedeemPageData(settings: RedeemPage, state: PageState, couponName: string, now: Date): RedeemPageData {
  const at = (days: number) => new Date(now.getTime() + days * day).toISOString();
  const code = sampleCodes[settings.codeDisplay];
  const started = state !== 'not_started';
  const redeemed = state === 'redeemed' || state === 'verified';
  const coupon: CouponView = {
    id: 'cpn_preview',
    name: couponName.trim() || 'Your coupon',
    code: { type: 'common', value: code },
    activePeriod: { startsAt: started ? at(-1) : at(3), endsAt: at(30) },
    totalLimit: null,
    perCustomerLimit: null,
    active: state !== 'unavailable',
    status: state === 'revoked' ? 'revoked' : state === 'unavailable' ? 'inactive' : 'active',
    usageExpiry: { type: 'active_period' },
    redeemPage: settings,
    contactTags: {},
    externalId: null,
    discount: null,
    redemptionWindow: null,
    minHoursBetweenRedemptions: null,
    redeemableAfterDays: null,
    audience: null,
    maxIssuedTotal: null,
    maxIssuedPerCustomer: null,
    lowStockThreshold: null,
    issuedCount: 0,
    stockLeft: null,
    lowStock: false,
    funnel: { sent: 0, opened: 0, redeemed: 0, verified: 0, expired: 0, revoked: 0 },
    redeemedCount: 0,
    poolSize: 0,
    createdAt: at(-2),
    updatedAt: at(-2),
  };
  return {
    coupon,
    state,
    redeemableFrom: state === 'not_yet_redeemable' ? at(1) : null,
    record: {
      id: 'rec_preview',
      couponId: coupon.id,
      customerId: 'preview',
      inboxId: 'preview',
      channel: 'preview',
      status: state === 'verified' ? 'verified' : redeemed ? 'redeemed' : 'opened',
      code: redeemed ? code : null,
      token: 'preview',
      sentAt: at(-1),
      openedAt: at(0),
      redeemedAt: redeemed ? at(0) : null,
      verifiedAt: state === 'verified' ? at(0) : null,
      expiresAt: at(30),
      revokedAt: state === 'revoked' ? at(0) : null,
      reversedAt: null,
      flowRunId: null,
      nodeId: null,
    },
  };
}
