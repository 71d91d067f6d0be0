/** What a run knows about its contact, read lazily (tags and attributes cost a query). */
export interface VariableSources {
  vars: Record<string, string>;
  customerId: string;
  tags: () => string[];
  /** the contact's stored attributes (e.g. `name` when a channel provides it) */
  attributes?: () => Record<string, string>;
}

/**
 * One name, one value, for templates and Condition rules alike: `vars.answer` (or plain `answer`)
 * is a run variable, `coupon.reason` a coupon fact the Distribute Coupon block set, `contact.id`
 * the customer id, `contact.tags` the tags joined, `contact.name` any other contact attribute.
 */
export function lookupVariable(name: string, sources: VariableSources): string | undefined {
  const dot = name.indexOf('.');
  const scope = dot < 0 ? 'vars' : name.slice(0, dot);
  const key = dot < 0 ? name : name.slice(dot + 1);
  if (scope === 'vars') return sources.vars[key];
  if (scope === 'coupon') return sources.vars[`coupon.${key}`];
  if (scope !== 'contact') return undefined;
  if (key === 'id' || key === 'customerId') return sources.customerId;
  if (key === 'tags') return sources.tags().join(', ');
  return sources.vars[`contact.${key}`] ?? sources.attributes?.()[key];
}
