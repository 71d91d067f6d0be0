import type { ChannelAdapter, MessageTemplate, SendContext, SendResult, Truncation } from '../core/adapterTypes';
import { networkFailure } from '../core/httpErrors';
import { dayMs, defaultGraphUrl, graphVersion, hubHandshake, verifyHubSignature } from '../core/metaWebhook';
import { platformRequest } from '../core/platformRequest';
import { classifyWhatsappError } from './classifyWhatsappError';
import { parseWhatsappWebhook } from './parseWhatsappWebhook';
import { renderWhatsapp, renderWhatsappTemplate } from './renderWhatsapp';

export interface WhatsappCredentials {
  appSecret: string;
  accessToken: string;
  verifyToken: string;
  phoneNumberId: string;
}

/** A WhatsApp Business phone number through the Cloud API (channel-specs.md §3). */
export function whatsappAdapter(
  credentials: WhatsappCredentials,
  { apiBaseUrl = defaultGraphUrl, offerTemplate, fetchTimeoutMs = 10_000 }: { apiBaseUrl?: string; offerTemplate?: MessageTemplate; fetchTimeoutMs?: number } = {},
): ChannelAdapter {
  const url = `${apiBaseUrl.replace(/\/+$/, '')}/${graphVersion}/${encodeURIComponent(credentials.phoneNumberId)}/messages`;
  return {
    channel: 'whatsapp',
    messagingWindowMs: dayMs,
    verify: async (input) => verifyHubSignature(input, credentials.appSecret),
    parse: parseWhatsappWebhook,
    handshake: (query) => hubHandshake(query, credentials.verifyToken),
    async send({ customerId, message, lastInboundAt, now = Date.now() }: SendContext): Promise<SendResult> {
      const truncations: Truncation[] = [];
      const inWindow = lastInboundAt != null && now - lastInboundAt <= dayMs;
      const template = message.template ?? offerTemplate;
      let content: Record<string, unknown>;
      if (inWindow) content = renderWhatsapp(message, truncations);
      else if (message.type === 'offer' && template) content = renderWhatsappTemplate(message, template, truncations);
      // Free-form outside the window is refused (131047): do not even ask.
      else return { ok: false, permanent: true, reason: 'outside_messaging_window', truncations };
      try {
        const response = await platformRequest(url, {
          method: 'POST',
          headers: { Authorization: `Bearer ${credentials.accessToken}` },
          json: { messaging_product: 'whatsapp', recipient_type: 'individual', to: customerId, ...content },
          timeoutMs: fetchTimeoutMs,
        });
        if (response.ok) return { ok: true, messageId: (response.body as { messages?: Array<{ id?: string }> })?.messages?.[0]?.id, truncations };
        return { ...classifyWhatsappError(response.status, response.body, response.header('retry-after')), truncations };
      } catch (error) {
        return { ...networkFailure(error), truncations };
      }
    },
  };
}
