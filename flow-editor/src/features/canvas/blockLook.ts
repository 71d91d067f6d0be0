/** How each block type looks on the canvas and in the palette (behaviour lives in @couponflow/nodes). */
export const blockLook: Record<string, { color: string; glyph: string }> = {
  start: { color: '#079455', glyph: '▶' },
  send_message: { color: '#2e90fa', glyph: '✉' },
  distribute_coupon: { color: '#4f46e5', glyph: '%' },
  wait_for_reply: { color: '#dc6803', glyph: '…' },
  condition: { color: '#7a5af8', glyph: '?' },
  tag_contact: { color: '#0e9384', glyph: '#' },
  end: { color: '#667085', glyph: '■' },
};
export const lookOf = (type: string) => blockLook[type] ?? { color: '#667085', glyph: '•' };

/** One line about a node's config, for the node body. */
export function summaryOf(type: string, data: Record<string, unknown>): string | null {
  switch (type) {
    case 'start': {
      const trigger = data.trigger as { type: string; keywords?: string[] } | undefined;
      if (trigger?.type === 'keyword') return trigger.keywords?.length ? `Keyword: ${trigger.keywords.join(', ')}` : null;
      if (trigger?.type === 'default') return 'Any message';
      if (trigger?.type === 'broadcast') return 'Broadcast only';
      return null;
    }
    case 'send_message':
      return (data.text as string) || null;
    case 'distribute_coupon':
      return (data.message as string) || null;
    case 'wait_for_reply':
      return data.variable ? `Saves the reply in {{vars.${data.variable as string}}}` : null;
    case 'condition': {
      const rules = (data.rules as unknown[] | undefined) ?? [];
      return rules.length ? `${data.match === 'any' ? 'Any' : 'All'} of ${rules.length} rule${rules.length === 1 ? '' : 's'}` : null;
    }
    case 'tag_contact': {
      const add = (data.add as string[] | undefined) ?? [];
      const remove = (data.remove as string[] | undefined) ?? [];
      return [add.length ? `+ ${add.join(', ')}` : '', remove.length ? `− ${remove.join(', ')}` : ''].filter(Boolean).join('  ') || null;
    }
    case 'end':
      return 'Ends the conversation';
    default:
      return null;
  }
}
