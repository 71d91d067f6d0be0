import type { coupons, Database } from '@couponflow/db';
import type { Charset } from './codeAlphabet';
import { couponFunnel, couponFunnels, emptyFunnel, type Funnel } from './couponFunnel';
import type { Audience, ContactTags, Discount, RedeemPage, RedemptionWindow, UsageExpiry } from './couponSchema';
import { stockOf } from './lowStock';

export type CouponRow = typeof coupons.$inferSelect;
export type CouponStatus = 'active' | 'inactive' | 'revoked';

export interface CouponView {
  id: string;
  name: string;
  code: { type: 'common'; value: string } | { type: 'unique'; length: number; charset: Charset; prefix?: string };
  activePeriod: { startsAt: string; endsAt: string | null };
  totalLimit: number | null;
  perCustomerLimit: number | null;
  active: boolean;
  status: CouponStatus;
  usageExpiry: UsageExpiry;
  redeemPage: RedeemPage;
  contactTags: ContactTags;
  externalId: string | null;
  discount: Discount | null;
  redemptionWindow: RedemptionWindow | null;
  minHoursBetweenRedemptions: number | null;
  redeemableAfterDays: number | null;
  audience: Audience | null;
  maxIssuedTotal: number | null;
  maxIssuedPerCustomer: number | null;
  lowStockThreshold: number | null;
  redeemedCount: number;
  issuedCount: number;
  poolSize: number;
  /** codes or redemptions left (the smaller), null when neither a pool nor totalLimit bounds it */
  stockLeft: number | null;
  lowStock: boolean;
  funnel: Funnel;
  createdAt: string;
  updatedAt: string;
}

export function couponStatus(row: Pick<CouponRow, 'revokedAt' | 'active'>): CouponStatus {
  if (row.revokedAt) return 'revoked';
  return row.active ? 'active' : 'inactive';
}

/** The coupon as the API answers it (SPEC §2.1): the input's shape plus id, status, counters and its funnel. */
export function couponView(row: CouponRow, funnel: Funnel = emptyFunnel()): CouponView {
  const code: CouponView['code'] =
    row.codeType === 'common'
      ? { type: 'common', value: row.codeValue ?? '' }
      : {
          type: 'unique',
          length: row.codeLength ?? 10,
          charset: row.codeCharset ?? 'alphanumeric',
          ...(row.codePrefix ? { prefix: row.codePrefix } : {}),
        };
  const stock = stockOf(row);
  return {
    id: row.id,
    name: row.name,
    code,
    activePeriod: { startsAt: row.startsAt.toISOString(), endsAt: row.endsAt?.toISOString() ?? null },
    totalLimit: row.totalLimit,
    perCustomerLimit: row.perCustomerLimit,
    active: row.active,
    status: couponStatus(row),
    usageExpiry: row.usageExpiry as UsageExpiry,
    redeemPage: row.redeemPage as RedeemPage,
    contactTags: row.contactTags as ContactTags,
    externalId: row.externalId,
    discount: (row.discount as Discount | null) ?? null,
    redemptionWindow: (row.redemptionWindow as RedemptionWindow | null) ?? null,
    minHoursBetweenRedemptions: row.minHoursBetweenRedemptions,
    redeemableAfterDays: row.redeemableAfterDays,
    audience: (row.audience as Audience | null) ?? null,
    maxIssuedTotal: row.maxIssuedTotal,
    maxIssuedPerCustomer: row.maxIssuedPerCustomer,
    lowStockThreshold: row.lowStockThreshold,
    redeemedCount: row.redeemedCount,
    issuedCount: row.issuedCount,
    poolSize: row.poolSize,
    stockLeft: stock.left,
    lowStock: stock.low,
    funnel,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** One coupon with its funnel. */
export async function couponAnswer(db: Database, row: CouponRow, now: Date): Promise<CouponView> {
  return couponView(row, await couponFunnel(db, row.id, now));
}

/** A page of coupons with their funnels, from one grouped query. */
export async function couponAnswers(db: Database, rows: CouponRow[], now: Date): Promise<CouponView[]> {
  const funnels = await couponFunnels(
    db,
    rows.map((row) => row.id),
    now,
  );
  return rows.map((row) => couponView(row, funnels.get(row.id)));
}
