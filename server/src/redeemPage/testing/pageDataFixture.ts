import { redeemPageSchema, type CouponView, type PageState, type RecordView, type RedeemPageData } from '@couponflow/coupons';
import type { z } from 'zod';

export interface FixtureInput {
  state: PageState;
  code?: string;
  name?: string;
  settings?: z.input<typeof redeemPageSchema>;
  record?: Partial<RecordView>;
  couponCode?: CouponView['code'];
  discount?: CouponView['discount'];
  redeemableFrom?: string | null;
}

/** A coupon and one customer's record in `state`, as the engine would hand them to the page. */
export function pageData(input: FixtureInput): RedeemPageData {
  const { state, code = 'SPRING-2025', name = 'Spring sale', settings = {}, record = {} } = input;
  const holdsCode = state === 'redeemed' || state === 'verified';
  const coupon: CouponView = {
    id: 'cpn_1',
    name,
    code: input.couponCode ?? { type: 'unique', length: 10, charset: 'alphanumeric' },
    activePeriod: { startsAt: '2025-03-01T09:00:00.000Z', endsAt: '2025-06-30T21:59:00.000Z' },
    totalLimit: 100,
    perCustomerLimit: 1,
    active: true,
    status: 'active',
    usageExpiry: { type: 'active_period' },
    redeemPage: redeemPageSchema.parse(settings),
    contactTags: {},
    externalId: null,
    discount: input.discount ?? null,
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
    redeemedCount: 3,
    poolSize: 100,
    createdAt: '2025-02-20T10:00:00.000Z',
    updatedAt: '2025-02-20T10:00:00.000Z',
  };
  return {
    state,
    coupon,
    redeemableFrom: input.redeemableFrom ?? null,
    record: {
      id: 'rec_1',
      couponId: coupon.id,
      customerId: 'psid-42',
      inboxId: 'inbox_1',
      channel: 'messenger',
      status: state === 'verified' ? 'verified' : holdsCode ? 'redeemed' : 'opened',
      code: holdsCode ? code : null,
      token: 'tok_abc',
      sentAt: '2025-03-02T10:00:00.000Z',
      openedAt: '2025-03-02T10:05:00.000Z',
      redeemedAt: holdsCode ? '2025-03-02T10:06:00.000Z' : null,
      verifiedAt: state === 'verified' ? '2025-03-03T12:30:00.000Z' : null,
      expiresAt: '2025-06-30T21:59:00.000Z',
      revokedAt: state === 'revoked' ? '2025-03-04T08:00:00.000Z' : null,
      reversedAt: null,
      flowRunId: null,
      nodeId: null,
      ...record,
    },
  };
}

export const redeemUrl = '/r/tok_abc/redeem';
