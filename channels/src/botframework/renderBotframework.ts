import type { OutboundMessage, Truncation } from '../core/adapterTypes';
import { fit } from '../core/truncate';

/**
 * The Connector converts cards per channel, so the limits are the channel's; these are the
 * tightest common ones (Teams messages ≈28 KB, a hero card title that fits one line on phones).
 */
export const botframeworkLimits = { text: 28_000, cardTitle: 200, buttonTitle: 50 } as const;

/** The message part of an Activity: text, an image attachment, or a hero card with an `openUrl` button. */
export function renderBotframework(message: OutboundMessage, truncations: Truncation[]): Record<string, unknown> {
  const text = message.text ?? '';
  if (message.type === 'text') return { text: fit(text, botframeworkLimits.text, 'text', truncations) };
  if (message.type === 'image') return { attachments: [{ contentType: 'image/png', contentUrl: message.imageUrl }] };
  return {
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.hero',
        content: {
          text: fit(text, botframeworkLimits.text, 'card.text', truncations),
          ...(message.imageUrl ? { images: [{ url: message.imageUrl, alt: 'coupon' }] } : {}),
          buttons: message.buttons.map((b) => ({ type: 'openUrl', title: fit(b.title, botframeworkLimits.buttonTitle, 'button.title', truncations), value: b.url })),
        },
      },
    ],
  };
}
