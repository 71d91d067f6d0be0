import type { ConditionRule } from '../blocks/condition/schema';
import type { BlockExecutor } from './executorTypes';

export const conditionExecutor: BlockExecutor<'condition'> = {
  execute: ({ node, run, services }) => {
    const tags = new Set(services.contactTags());
    const holds = (rule: ConditionRule) => ruleHolds(rule, tags, run.vars);
    const result = node.data.match === 'all' ? node.data.rules.every(holds) : node.data.rules.some(holds);
    return { kind: 'continue', port: result ? 'true' : 'false' };
  },
};

function ruleHolds(rule: ConditionRule, tags: Set<string>, vars: Record<string, string>): boolean {
  if (rule.kind === 'tag') return tags.has(rule.name);
  const value = vars[rule.name];
  if (rule.op === 'has') return value !== undefined && value !== '';
  if (value === undefined) return false;
  const expected = rule.value ?? '';
  // Customers type in any case; compare as a person would read it.
  if (rule.op === 'equals') return value.trim().toLowerCase() === expected.trim().toLowerCase();
  return value.toLowerCase().includes(expected.toLowerCase());
}
