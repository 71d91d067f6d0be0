import { blockDefinitions, isBlockType } from '@couponflow/nodes';

/** The block's own zod schema (from @couponflow/nodes) checked as you type: field path → message. */
export function schemaErrors(type: string, data: Record<string, unknown>): Record<string, string> {
  if (!isBlockType(type)) return {};
  const result = blockDefinitions[type].schema.safeParse(data);
  if (result.success) return {};
  const errors: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const path = issue.path.join('.') || '_';
    errors[path] ??= issue.message;
  }
  return errors;
}
