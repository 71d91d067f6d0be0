import { lookupVariable, type VariableSources } from './lookupVariable';

/**
 * `{{contact.*}}`, `{{coupon.*}}` and `{{vars.*}}` in message texts. A placeholder with no value
 * renders empty rather than leaking the braces to the customer.
 */
export function renderTemplate(template: string, sources: VariableSources): string {
  return template.replace(/\{\{\s*((?:contact|coupon|vars)\.[a-zA-Z0-9_]+)\s*\}\}/g, (_match, name: string) => lookupVariable(name, sources) ?? '');
}
