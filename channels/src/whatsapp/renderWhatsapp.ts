import type { MessageTemplate, OutboundMessage, Truncation } from '../core/adapterTypes';
import { fit } from '../core/truncate';

/** channel-specs.md §3 limits. */
export const whatsappLimits = { text: 4096, interactiveBody: 1024, displayText: 20, templateParameter: 1024 } as const;

/** Inside the 24 h window: text, image, or an interactive `cta_url` with an image header. */
export function renderWhatsapp(message: OutboundMessage, truncations: Truncation[]): Record<string, unknown> {
  const text = message.text ?? '';
  if (message.type === 'text') return { type: 'text', text: { preview_url: false, body: fit(text, whatsappLimits.text, 'text', truncations) } };
  if (message.type === 'image')
    return { type: 'image', image: { link: message.imageUrl, ...(text ? { caption: fit(text, whatsappLimits.interactiveBody, 'caption', truncations) } : {}) } };
  const button = message.buttons[0]!;
  return {
    type: 'interactive',
    interactive: {
      type: 'cta_url',
      ...(message.imageUrl ? { header: { type: 'image', image: { link: message.imageUrl } } } : {}),
      body: { text: fit(text || ' ', whatsappLimits.interactiveBody, 'body.text', truncations) },
      action: { name: 'cta_url', parameters: { display_text: fit(button.title, whatsappLimits.displayText, 'display_text', truncations), url: button.url } },
    },
  };
}

/** Outside the window: the approved MARKETING template, its parameters filled from the offer. */
export function renderWhatsappTemplate(message: OutboundMessage, template: MessageTemplate, truncations: Truncation[]): Record<string, unknown> {
  const components: unknown[] = [];
  if (template.headerImage && message.imageUrl) components.push({ type: 'header', parameters: [{ type: 'image', image: { link: message.imageUrl } }] });
  if (template.bodyText)
    components.push({ type: 'body', parameters: [{ type: 'text', text: fit(message.text ?? '', whatsappLimits.templateParameter, 'template.body', truncations) }] });
  const url = message.buttons[0]?.url;
  if (template.buttonUrlSuffix && url) {
    const suffix = new URL(url).pathname.split('/').filter(Boolean).pop() ?? '';
    components.push({ type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: suffix }] });
  }
  return { type: 'template', template: { name: template.name, language: { policy: 'deterministic', code: template.language }, components } };
}
