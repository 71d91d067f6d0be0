import { describe, expect, it } from 'vitest';
import { tagContactConfigSchema } from './schema';

const parse = (data: unknown) => tagContactConfigSchema.safeParse(data);

describe('tag_contact config', () => {
  it('accepts the spec example, and either list alone', () => {
    expect(parse({ add: ['got_coupon'], remove: ['prospect'] }).success).toBe(true);
    expect(tagContactConfigSchema.parse({ add: ['vip'] })).toEqual({ add: ['vip'], remove: [] });
  });

  it('has nothing to do without a tag', () => {
    expect(parse({ add: [], remove: [] }).error?.issues[0]?.message).toBe('add or remove at least one tag');
  });

  it('refuses blank or over-long tags, a tag listed twice, and a tag both added and removed', () => {
    expect(parse({ add: [' '] }).success).toBe(false);
    expect(parse({ add: ['x'.repeat(51)] }).success).toBe(false);
    expect(parse({ add: ['VIP', 'vip'] }).success).toBe(false);
    expect(parse({ add: ['vip'], remove: ['Vip'] }).error?.issues[0]).toMatchObject({ path: ['remove', 0] });
  });
});
