import type { OutboundMessage, Truncation } from '../core/adapterTypes';
import { fit } from '../core/truncate';

/** channel-specs.md §1 limits. */
export const messengerLimits = { text: 2000, title: 80, subtitle: 80, buttonTitle: 20 } as const;

/** The `message` object of a Send API call: text, image attachment, or a generic template with a web_url button. */
export function renderMessenger(message: OutboundMessage, truncations: Truncation[]): Record<string, unknown> {
  const text = message.text ?? '';
  if (message.type === 'text') return { text: fit(text, messengerLimits.text, 'text', truncations) };
  if (message.type === 'image') return { attachment: { type: 'image', payload: { url: message.imageUrl, is_reusable: true } } };
  // The generic template's title is the offer text (80), its remainder the subtitle.
  const title = fit(text || ' ', messengerLimits.title, 'title', truncations);
  const element: Record<string, unknown> = {
    title,
    ...(message.imageUrl ? { image_url: message.imageUrl } : {}),
    buttons: message.buttons.slice(0, 3).map((b) => ({ type: 'web_url', url: b.url, title: fit(b.title, messengerLimits.buttonTitle, 'button.title', truncations) })),
  };
  return { attachment: { type: 'template', payload: { template_type: 'generic', elements: [element] } } };
}
