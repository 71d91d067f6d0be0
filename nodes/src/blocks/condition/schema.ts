import { z } from 'zod';
import { tagName, variableName } from '../configFields';

/** A tag is either there or not, so `has` is its only test. */
const tagRule = z.strictObject({ kind: z.literal('tag'), name: tagName, op: z.literal('has') });

/** `has` asks whether the variable is set; `equals` / `contains` compare it with `value`. */
const variableRule = z
  .strictObject({
    kind: z.literal('variable'),
    name: variableName,
    op: z.enum(['has', 'equals', 'contains']),
    value: z.string().max(2000).optional(),
  })
  .superRefine((rule, ctx) => {
    if (rule.op === 'has' && rule.value !== undefined)
      ctx.addIssue({ code: 'custom', path: ['value'], message: '"has" takes no value' });
    if (rule.op !== 'has' && rule.value === undefined)
      ctx.addIssue({ code: 'custom', path: ['value'], message: `"${rule.op}" needs a value` });
  });

export const conditionRuleSchema = z.discriminatedUnion('kind', [tagRule, variableRule]);

export const conditionConfigSchema = z.strictObject({
  match: z.enum(['all', 'any']),
  rules: z.array(conditionRuleSchema).min(1, 'add at least one rule').max(20),
});

export type ConditionConfig = z.output<typeof conditionConfigSchema>;
export type ConditionRule = z.output<typeof conditionRuleSchema>;
