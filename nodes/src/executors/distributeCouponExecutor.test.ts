import { describe, expect, it } from 'vitest';
import { portForReason } from './distributeCouponExecutor';

describe('the Distribute Coupon block leaves by one of its five ports, whatever the engine answers', () => {
  it('sends the audience and issuing refusals out by the limit ports', () => {
    expect(portForReason('customer_not_eligible')).toBe('customer_max_uses_reached');
    expect(portForReason('customer_max_issued_reached')).toBe('customer_max_uses_reached');
    expect(portForReason('coupon_max_issued_reached')).toBe('coupon_max_uses_reached');
  });

  it('keeps the spec’s reasons where they were', () => {
    expect(['coupon_revoked', 'coupon_inactive', 'coupon_not_started', 'coupon_expired'].map(portForReason)).toEqual(Array(4).fill('coupon_expired'));
    expect(portForReason('customer_max_uses_reached')).toBe('customer_max_uses_reached');
    expect(portForReason('coupon_max_uses_reached')).toBe('coupon_max_uses_reached');
    expect(portForReason('unexpected_error')).toBe('error');
  });
});
