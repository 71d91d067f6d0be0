import { z } from 'zod';
import { tagName, variableName } from '../configFields';

/** A tag is either there or not. */
const tagRule = z.strictObject({ kind: z.literal('tag'), name: tagName, op: z.enum(['has', 'has_not']) });

/**
 * What a rule reads: a run variable (`answer` or `vars.answer`), a coupon fact the Distribute Coupon
 * block set (`coupon.reason`, `coupon.code`, …) or a contact field (`contact.id`, `contact.name`, …).
 */
export const conditionVariableName = z.union([
  variableName,
  z
    .string()
    .regex(
      /^(vars|coupon|contact)\.[a-zA-Z_][a-zA-Z0-9_]{0,49}$/,
      'a variable name (letters, digits or _), or vars.…, coupon.… or contact.… followed by one',
    ),
], { error: 'a variable name (letters, digits or _), or vars.…, coupon.… or contact.… followed by one' });

/** `exists` asks whether the variable is set (`has` is its older spelling); `equals` / `contains` compare it with `value`. */
const variableRule = z
  .strictObject({
    kind: z.literal('variable'),
    name: conditionVariableName,
    op: z.enum(['exists', 'equals', 'contains', 'has']),
    value: z.string().max(2000).optional(),
  })
  .superRefine((rule, ctx) => {
    const takesValue = rule.op === 'equals' || rule.op === 'contains';
    if (!takesValue && rule.value !== undefined) ctx.addIssue({ code: 'custom', path: ['value'], message: `"${rule.op}" takes no value` });
    if (takesValue && rule.value === undefined) ctx.addIssue({ code: 'custom', path: ['value'], message: `"${rule.op}" needs a value` });
  });

export const conditionRuleSchema = z.discriminatedUnion('kind', [tagRule, variableRule]);

export const conditionConfigSchema = z.strictObject({
  match: z.enum(['all', 'any']),
  rules: z.array(conditionRuleSchema).min(1, 'add at least one rule').max(20),
});

export type ConditionConfig = z.output<typeof conditionConfigSchema>;
export type ConditionRule = z.output<typeof conditionRuleSchema>;
