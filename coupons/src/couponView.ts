import type { coupons } from '@couponflow/db';
import type { Charset } from './codeAlphabet';
import type { ContactTags, RedeemPage, UsageExpiry } from './couponSchema';

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
  redeemedCount: number;
  poolSize: number;
  createdAt: string;
  updatedAt: string;
}

export function couponStatus(row: Pick<CouponRow, 'revokedAt' | 'active'>): CouponStatus {
  if (row.revokedAt) return 'revoked';
  return row.active ? 'active' : 'inactive';
}

/** The coupon as the API answers it (SPEC §2.1): the input's shape plus id, status and timestamps. */
export function couponView(row: CouponRow): CouponView {
  const code: CouponView['code'] =
    row.codeType === 'common'
      ? { type: 'common', value: row.codeValue ?? '' }
      : {
          type: 'unique',
          length: row.codeLength ?? 10,
          charset: row.codeCharset ?? 'alphanumeric',
          ...(row.codePrefix ? { prefix: row.codePrefix } : {}),
        };
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
    redeemedCount: row.redeemedCount,
    poolSize: row.poolSize,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
