import type { ConditionRule } from '../blocks/condition/schema';
import type { BlockExecutor } from './executorTypes';
import { lookupVariable, type VariableSources } from './lookupVariable';

export const conditionExecutor: BlockExecutor<'condition'> = {
  execute: async ({ node, run, services }) => {
    // Tags and attributes cost a query each: read only when a rule looks at them.
    const { rules } = node.data;
    const contactField = (rule: ConditionRule, field: (key: string) => boolean) =>
      rule.kind === 'variable' && rule.name.startsWith('contact.') && field(rule.name.slice('contact.'.length));
    const needsTags = rules.some((r) => r.kind === 'tag' || contactField(r, (key) => key === 'tags'));
    const needsAttributes = rules.some((r) => contactField(r, (key) => !['id', 'customerId', 'tags'].includes(key)));
    const tagSet = new Set(needsTags ? await services.contactTags() : []);
    const attributes = needsAttributes ? await services.contactAttributes() : {};
    const sources: VariableSources = { vars: run.vars, customerId: run.customerId, tags: () => [...tagSet], attributes: () => attributes };
    const holds = (rule: ConditionRule) => ruleHolds(rule, () => tagSet, sources);
    const result = node.data.match === 'all' ? node.data.rules.every(holds) : node.data.rules.some(holds);
    return { kind: 'continue', port: result ? 'true' : 'false' };
  },
};

function ruleHolds(rule: ConditionRule, tags: () => Set<string>, sources: VariableSources): boolean {
  if (rule.kind === 'tag') return rule.op === 'has_not' ? !tags().has(rule.name) : tags().has(rule.name);
  const value = lookupVariable(rule.name, sources);
  // `has` is the older spelling of `exists`.
  if (rule.op === 'exists' || rule.op === 'has') return value !== undefined && value !== '';
  if (value === undefined) return false;
  const expected = rule.value ?? '';
  // Customers type in any case; compare as a person would read it.
  if (rule.op === 'equals') return value.trim().toLowerCase() === expected.trim().toLowerCase();
  return value.toLowerCase().includes(expected.toLowerCase());
}
