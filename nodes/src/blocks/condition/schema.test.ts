import { describe, expect, it } from 'vitest';
import { conditionConfigSchema } from './schema';

const parse = (data: unknown) => conditionConfigSchema.safeParse(data);

describe('condition config', () => {
  it('accepts rules on tags and on variables, matched all or any', () => {
    const rules = [
      { kind: 'tag', name: 'vip', op: 'has' },
      { kind: 'variable', name: 'answer', op: 'equals', value: 'yes' },
      { kind: 'variable', name: 'answer', op: 'contains', value: '' },
      { kind: 'variable', name: 'email', op: 'has' },
    ];
    expect(parse({ match: 'all', rules }).success).toBe(true);
    expect(parse({ match: 'any', rules }).success).toBe(true);
  });

  it('needs at least one rule and a known match', () => {
    expect(parse({ match: 'all', rules: [] }).success).toBe(false);
    expect(parse({ match: 'some', rules: [{ kind: 'tag', name: 'vip', op: 'has' }] }).success).toBe(false);
  });

  it('asks for a value exactly when the test compares one', () => {
    const rule = (r: object) => parse({ match: 'all', rules: [{ kind: 'variable', name: 'answer', ...r }] });
    expect(rule({ op: 'equals' }).error?.issues[0]).toMatchObject({ path: ['rules', 0, 'value'], message: '"equals" needs a value' });
    expect(rule({ op: 'has', value: 'x' }).error?.issues[0]).toMatchObject({ path: ['rules', 0, 'value'] });
  });

  it('refuses a tag compared like a variable, and invalid names', () => {
    expect(parse({ match: 'all', rules: [{ kind: 'tag', name: 'vip', op: 'equals', value: 'x' }] }).success).toBe(false);
    expect(parse({ match: 'all', rules: [{ kind: 'tag', name: '', op: 'has' }] }).success).toBe(false);
    expect(parse({ match: 'all', rules: [{ kind: 'variable', name: 'my var', op: 'has' }] }).success).toBe(false);
    expect(parse({ match: 'all', rules: [{ kind: 'attribute', name: 'x', op: 'has' }] }).success).toBe(false);
  });

  it('tests tags with has / has_not, and variables with exists / equals / contains, by plain or dotted names', () => {
    const rules = [
      { kind: 'tag', name: 'vip', op: 'has_not' },
      { kind: 'variable', name: 'coupon.reason', op: 'equals', value: 'coupon_revoked' },
      { kind: 'variable', name: 'contact.name', op: 'exists' },
      { kind: 'variable', name: 'vars.answer', op: 'contains', value: 'yes' },
    ];
    expect(parse({ match: 'all', rules }).success).toBe(true);
  });

  it('keeps flows saved with the older `has` on a variable valid', () => {
    expect(parse({ match: 'all', rules: [{ kind: 'variable', name: 'email', op: 'has' }] }).success).toBe(true);
  });

  it('refuses a dotted name outside vars / coupon / contact, and exists with a value', () => {
    const rule = (r: object) => parse({ match: 'all', rules: [{ kind: 'variable', ...r }] });
    expect(rule({ name: 'order.total', op: 'exists' }).error?.issues[0]).toMatchObject({ path: ['rules', 0, 'name'] });
    expect(rule({ name: 'coupon.', op: 'exists' }).success).toBe(false);
    expect(rule({ name: 'coupon.reason.more', op: 'exists' }).success).toBe(false);
    expect(rule({ name: 'coupon.reason', op: 'exists', value: 'x' }).error?.issues[0]).toMatchObject({ path: ['rules', 0, 'value'], message: '"exists" takes no value' });
    expect(parse({ match: 'all', rules: [{ kind: 'tag', name: 'vip', op: 'exists' }] }).success).toBe(false);
  });
});
