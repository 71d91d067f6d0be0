/**
 * `{{contact.*}}`, `{{coupon.*}}` and `{{vars.*}}` in message texts. A placeholder with no value
 * renders empty rather than leaking the braces to the customer.
 */
export function renderTemplate(
  template: string,
  { vars, customerId, tags }: { vars: Record<string, string>; customerId: string; tags: () => string[] },
): string {
  return template.replace(/\{\{\s*(contact|coupon|vars)\.([a-zA-Z0-9_]+)\s*\}\}/g, (_match, scope: string, key: string) => {
    if (scope === 'vars') return vars[key] ?? '';
    if (scope === 'coupon') return vars[`coupon.${key}`] ?? '';
    if (key === 'id' || key === 'customerId') return customerId;
    if (key === 'tags') return tags().join(', ');
    return vars[`contact.${key}`] ?? '';
  });
}
