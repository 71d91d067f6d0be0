import { describe, expect, it } from 'vitest';
import type { ConditionConfig } from '../blocks/condition/schema';
import { conditionConfigSchema } from '../blocks/condition/schema';
import { conditionExecutor } from './conditionExecutor';
import type { StepServices } from './executorTypes';

/** A contact with `tags` and `attributes`, in a run holding `vars`; answers the port the rules lead to. */
async function decide(config: unknown, { tags = [], vars = {}, attributes = {} }: { tags?: string[]; vars?: Record<string, string>; attributes?: Record<string, string> } = {}) {
  const data: ConditionConfig = conditionConfigSchema.parse(config);
  const services = { contactTags: async () => tags, contactAttributes: async () => attributes } as Pick<StepServices, 'contactTags' | 'contactAttributes'> as StepServices;
  const result = await conditionExecutor.execute({
    node: { id: 'c', data },
    run: { id: 'run_1', orgId: 'org_1', inboxId: 'inb_1', channel: 'webchat', customerId: 'ann', vars },
    services,
    render: async (t) => t,
  });
  return result.kind === 'continue' ? result.port : result.kind;
}

const one = (rule: object, match: 'all' | 'any' = 'all') => ({ match, rules: [rule] });

describe('Condition', () => {
  it('branches on a tag being there or not', async () => {
    expect(await decide(one({ kind: 'tag', name: 'vip', op: 'has' }), { tags: ['vip'] })).toBe('true');
    expect(await decide(one({ kind: 'tag', name: 'vip', op: 'has_not' }), { tags: ['vip'] })).toBe('false');
    expect(await decide(one({ kind: 'tag', name: 'vip', op: 'has_not' }))).toBe('true');
  });

  it('reads why a coupon was not redeemed from coupon.reason', async () => {
    const revoked = one({ kind: 'variable', name: 'coupon.reason', op: 'equals', value: 'coupon_revoked' });
    expect(await decide(revoked, { vars: { 'coupon.reason': 'coupon_revoked' } })).toBe('true');
    expect(await decide(revoked, { vars: { 'coupon.reason': 'coupon_expired' } })).toBe('false');
    expect(await decide(one({ kind: 'variable', name: 'coupon.reason', op: 'contains', value: 'expired' }), { vars: { 'coupon.reason': 'coupon_expired' } })).toBe('true');
  });

  it('exists: a variable that is set and not empty; contact fields come from the contact', async () => {
    const hasName = one({ kind: 'variable', name: 'contact.name', op: 'exists' });
    expect(await decide(hasName, { attributes: { name: 'Ann' } })).toBe('true');
    expect(await decide(hasName)).toBe('false');
    expect(await decide(one({ kind: 'variable', name: 'contact.id', op: 'equals', value: 'ANN' }))).toBe('true');
    expect(await decide(one({ kind: 'variable', name: 'answer', op: 'exists' }), { vars: { answer: '' } })).toBe('false');
    expect(await decide(one({ kind: 'variable', name: 'vars.answer', op: 'has' }), { vars: { answer: 'yes' } })).toBe('true');
  });

  it('all needs every rule, any needs one', async () => {
    const rules = [
      { kind: 'tag', name: 'vip', op: 'has' },
      { kind: 'variable', name: 'answer', op: 'equals', value: ' Yes ' },
    ];
    expect(await decide({ match: 'all', rules }, { tags: ['vip'], vars: { answer: 'yes' } })).toBe('true');
    expect(await decide({ match: 'all', rules }, { vars: { answer: 'yes' } })).toBe('false');
    expect(await decide({ match: 'any', rules }, { vars: { answer: 'YES' } })).toBe('true');
  });
});
