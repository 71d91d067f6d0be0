import { describe, expect, it } from 'vitest';
import { startConfigSchema } from './schema';

describe('start config', () => {
  it('accepts the three triggers of the spec', () => {
    expect(startConfigSchema.safeParse({ trigger: { type: 'keyword', keywords: ['coupon'] } }).success).toBe(true);
    expect(startConfigSchema.safeParse({ trigger: { type: 'default' } }).success).toBe(true);
    expect(startConfigSchema.safeParse({ trigger: { type: 'broadcast' } }).success).toBe(true);
  });

  it('trims keywords, as a customer typing " coupon " still means coupon', () => {
    expect(startConfigSchema.parse({ trigger: { type: 'keyword', keywords: [' coupon '] } })).toEqual({
      trigger: { type: 'keyword', keywords: ['coupon'] },
    });
  });

  it('refuses a keyword trigger without keywords, blank or over-long keywords, and the same word twice', () => {
    const keywords = (keywords: unknown) => startConfigSchema.safeParse({ trigger: { type: 'keyword', keywords } });
    expect(keywords([]).success).toBe(false);
    expect(keywords(['  ']).success).toBe(false);
    expect(keywords(['x'.repeat(51)]).success).toBe(false);
    expect(keywords(['Coupon', 'coupon']).error?.issues[0]).toMatchObject({ path: ['trigger', 'keywords', 1] });
  });

  it('refuses unknown triggers and stray fields', () => {
    expect(startConfigSchema.safeParse({ trigger: { type: 'cron' } }).success).toBe(false);
    expect(startConfigSchema.safeParse({ trigger: { type: 'default', keywords: ['x'] } }).success).toBe(false);
    expect(startConfigSchema.safeParse({}).success).toBe(false);
  });
});
