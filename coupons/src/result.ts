/** Errors are values at the domain edge: every refusal is a reason the API maps to a status. */
export type Result<T, R extends string = Reason> = { ok: true; value: T } | Refusal<R>;
export interface Refusal<R extends string = Reason> {
  ok: false;
  reason: R;
  message: string;
  details?: Array<{ path: string; message: string }>;
}

export const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });
export const refuse = <R extends string>(reason: R, message: string, details?: Refusal['details']): Refusal<R> =>
  details ? { ok: false, reason, message, details } : { ok: false, reason, message };

/** SPEC §2.4, in the order distribute and redeem check them. */
export const ruleReasons = [
  'coupon_revoked',
  'coupon_inactive',
  'coupon_not_started',
  'coupon_expired',
  'customer_max_uses_reached',
  'coupon_max_uses_reached',
] as const;
export type RuleReason = (typeof ruleReasons)[number];

/** Distribution only: the audience and the issuing limits (issue 10), apart from the redemption limits. */
export const distributionReasons = ['customer_not_eligible', 'customer_max_issued_reached', 'coupon_max_issued_reached'] as const;
export type DistributionReason = (typeof distributionReasons)[number];

/** Redemption only, after the rules above: the offer stays held and the page says when it can be redeemed. */
export const timingReasons = ['not_yet_redeemable', 'redemption_too_soon', 'outside_redemption_window'] as const;
export type TimingReason = (typeof timingReasons)[number];

export const verifyReasons = ['not_found', 'not_redeemed', 'already_verified', 'expired', 'revoked', 'code_not_unique'] as const;
export type VerifyReason = (typeof verifyReasons)[number];

export type Reason =
  | RuleReason
  | DistributionReason
  | TimingReason
  | VerifyReason
  | 'external_id_taken'
  | 'pool_busy'
  | 'invalid_time_zone'
  | 'coupon_not_found'
  | 'validation_failed'
  | 'ends_at_shortened'
  | 'code_immutable'
  | 'code_taken'
  | 'not_unique_coupon'
  | 'code_space_exhausted'
  | 'pool_limit_exceeded'
  | 'file_too_large';
