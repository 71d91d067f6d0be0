import type { OutboundMessage, Truncation } from '../core/adapterTypes';
import { fit } from '../core/truncate';

/** channel-specs.md §2 limits. */
export const lineLimits = { text: 5000, altText: 400, templateTitle: 40, templateText: 160, templateTextWithImage: 60, label: 20, uri: 1000 } as const;

/**
 * LINE messages (1–5 per request). An offer is a buttons template with a `uri` action; when its
 * text is longer than the template allows, the whole text goes first as a text message.
 */
export function renderLine(message: OutboundMessage, truncations: Truncation[]): Array<Record<string, unknown>> {
  const text = message.text ?? '';
  if (message.type === 'text') return [{ type: 'text', text: fit(text, lineLimits.text, 'text', truncations) }];
  if (message.type === 'image') return [{ type: 'image', originalContentUrl: message.imageUrl, previewImageUrl: message.imageUrl }];
  const limit = message.imageUrl ? lineLimits.templateTextWithImage : lineLimits.templateText;
  const chars = Array.from(text);
  const template = {
    type: 'template',
    altText: fit(text || 'Coupon', lineLimits.altText, 'altText', truncations),
    template: {
      type: 'buttons',
      ...(message.imageUrl ? { thumbnailImageUrl: message.imageUrl, imageAspectRatio: 'rectangle', imageSize: 'cover' } : {}),
      text: chars.length <= limit ? text || ' ' : fit(text, limit, 'template.text', []),
      actions: message.buttons.slice(0, 4).map((b) => ({ type: 'uri', label: fit(b.title, lineLimits.label, 'action.label', truncations), uri: b.url })),
    },
  };
  if (chars.length <= limit) return [template];
  return [{ type: 'text', text: fit(text, lineLimits.text, 'text', truncations) }, template];
}
