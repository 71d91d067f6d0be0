import type { ChannelAdapter, SendContext, SendResult, Truncation } from '../core/adapterTypes';
import { networkFailure } from '../core/httpErrors';
import { dayMs, defaultGraphUrl, graphVersion, hubHandshake, verifyHubSignature } from '../core/metaWebhook';
import { platformRequest } from '../core/platformRequest';
import { classifyMessengerError } from './classifyMessengerError';
import { parseMessengerWebhook } from './parseMessengerWebhook';
import { renderMessenger } from './renderMessenger';

export interface MessengerCredentials {
  appSecret: string;
  pageAccessToken: string;
  verifyToken: string;
}

/** A Facebook page through the Graph Send API (channel-specs.md §1). */
export function messengerAdapter(credentials: MessengerCredentials, { apiBaseUrl = defaultGraphUrl, fetchTimeoutMs = 10_000 } = {}): ChannelAdapter {
  const base = apiBaseUrl.replace(/\/+$/, '');
  const token = encodeURIComponent(credentials.pageAccessToken);
  return {
    channel: 'messenger',
    messagingWindowMs: dayMs,
    verify: async (input) => verifyHubSignature(input, credentials.appSecret),
    parse: parseMessengerWebhook,
    handshake: (query) => hubHandshake(query, credentials.verifyToken),
    async send({ customerId, message, lastInboundAt, now = Date.now() }: SendContext): Promise<SendResult> {
      const truncations: Truncation[] = [];
      // Tags may not carry promotions (Meta names coupons): outside the window nothing fits.
      if (lastInboundAt == null || now - lastInboundAt > dayMs) return { ok: false, permanent: true, reason: 'outside_messaging_window', truncations };
      const payload = { recipient: { id: customerId }, messaging_type: 'RESPONSE', message: renderMessenger(message, truncations) };
      try {
        const response = await platformRequest(`${base}/${graphVersion}/me/messages?access_token=${token}`, { method: 'POST', json: payload, timeoutMs: fetchTimeoutMs });
        if (response.ok) return { ok: true, messageId: (response.body as { message_id?: string })?.message_id, truncations };
        return { ...classifyMessengerError(response.status, response.body, response.header('retry-after')), truncations };
      } catch (error) {
        return { ...networkFailure(error), truncations };
      }
    },
    async fetchProfile(customerId) {
      const response = await platformRequest(`${base}/${graphVersion}/${encodeURIComponent(customerId)}?fields=first_name,last_name,name&access_token=${token}`, { timeoutMs: fetchTimeoutMs });
      if (!response.ok || !response.body) return {};
      const body = response.body as { name?: string; first_name?: string; last_name?: string };
      const name = body.name ?? [body.first_name, body.last_name].filter(Boolean).join(' ');
      return name ? { name } : {};
    },
  };
}
