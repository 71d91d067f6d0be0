import type { Schemas } from '../../api/client';

export type Coupon = Schemas['Coupon'];
export type CouponState = 'active' | 'not_started' | 'expired' | 'revoked' | 'inactive';

/** What a customer would meet now: the stored status plus the period (SPEC §2.1 "derived views"). */
export function couponState(coupon: Pick<Coupon, 'status' | 'activePeriod'>, now = Date.now()): CouponState {
  if (coupon.status === 'revoked') return 'revoked';
  if (coupon.status === 'inactive') return 'inactive';
  if (Date.parse(coupon.activePeriod.startsAt) > now) return 'not_started';
  if (coupon.activePeriod.endsAt && Date.parse(coupon.activePeriod.endsAt) <= now) return 'expired';
  return 'active';
}

const looks: Record<CouponState, { label: string; tone: string }> = {
  active: { label: 'Active', tone: 'green' },
  not_started: { label: 'Not started', tone: 'blue' },
  expired: { label: 'Expired', tone: 'amber' },
  revoked: { label: 'Revoked', tone: 'red' },
  inactive: { label: 'Inactive', tone: '' },
};

export function CouponStateBadge({ coupon }: { coupon: Pick<Coupon, 'status' | 'activePeriod'> }) {
  const look = looks[couponState(coupon)];
  return <span className={`badge ${look.tone}`}>{look.label}</span>;
}
