import type { ConditionRule } from '../blocks/condition/schema';
import type { BlockExecutor } from './executorTypes';
import { lookupVariable, type VariableSources } from './lookupVariable';

export const conditionExecutor: BlockExecutor<'condition'> = {
  execute: ({ node, run, services }) => {
    let tags: Set<string> | undefined;
    const tagSet = () => (tags ??= new Set(services.contactTags()));
    const sources: VariableSources = { vars: run.vars, customerId: run.customerId, tags: () => [...tagSet()], attributes: services.contactAttributes };
    const holds = (rule: ConditionRule) => ruleHolds(rule, tagSet, sources);
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
