import { describe, expect, it } from 'vitest';
import { distributeCouponConfigSchema } from './schema';

const example = { couponId: 'cpn_01jd', message: 'A gift for you', buttonTitle: 'Get coupon', imageUrl: 'https://cdn.example/c.png' };

describe('distribute_coupon config', () => {
  it('accepts the spec example, with or without an image', () => {
    expect(distributeCouponConfigSchema.parse(example)).toEqual(example);
    const { imageUrl: _, ...withoutImage } = example;
    expect(distributeCouponConfigSchema.safeParse(withoutImage).success).toBe(true);
  });

  it('requires a coupon, a message and a button title, pointing at the missing field', () => {
    for (const field of ['couponId', 'message', 'buttonTitle'] as const) {
      const result = distributeCouponConfigSchema.safeParse({ ...example, [field]: '' });
      expect(result.error?.issues[0]?.path).toEqual([field]);
    }
  });

  it('refuses a non-https image, a long button title and stray fields', () => {
    expect(distributeCouponConfigSchema.safeParse({ ...example, imageUrl: 'http://cdn.example/c.png' }).success).toBe(false);
    expect(distributeCouponConfigSchema.safeParse({ ...example, buttonTitle: 'Get your coupon right now' }).success).toBe(false);
    expect(distributeCouponConfigSchema.safeParse({ ...example, couponID: 'cpn_01jd' }).success).toBe(false);
  });

  it('takes an optional expiry reminder: hours before (decimals allowed) and its own message', () => {
    const reminder = { hoursBefore: 24, message: 'Your coupon expires tomorrow, {{contact.id}}' };
    expect(distributeCouponConfigSchema.parse({ ...example, reminder })).toEqual({ ...example, reminder });
    expect(distributeCouponConfigSchema.safeParse({ ...example, reminder: { ...reminder, hoursBefore: 0.5 } }).success).toBe(true);
    const refused = (r: object) => distributeCouponConfigSchema.safeParse({ ...example, reminder: r }).error?.issues[0]?.path;
    expect(refused({ ...reminder, hoursBefore: 0 })).toEqual(['reminder', 'hoursBefore']);
    expect(refused({ ...reminder, message: '' })).toEqual(['reminder', 'message']);
    expect(refused({ hoursBefore: 24 })).toEqual(['reminder', 'message']);
    expect(refused({ ...reminder, days: 1 })).toEqual(['reminder']);
  });
});
