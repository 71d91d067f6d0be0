import type { ChannelAdapter, SendContext, SendResult, Truncation } from '../core/adapterTypes';
import { jsonBody, networkFailure } from '../core/httpErrors';
import { dayMs, defaultGraphUrl, graphVersion, hubHandshake, verifyHubSignature } from '../core/metaWebhook';
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
        const response = await fetch(`${base}/${graphVersion}/me/messages?access_token=${token}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(payload),
          signal: AbortSignal.timeout(fetchTimeoutMs),
        });
        const body = await jsonBody(response);
        if (response.ok) return { ok: true, messageId: (body as { message_id?: string })?.message_id, truncations };
        return { ...classifyMessengerError(response.status, body, response.headers.get('retry-after')), truncations };
      } catch (error) {
        return { ...networkFailure(error), truncations };
      }
    },
    async fetchProfile(customerId) {
      const response = await fetch(`${base}/${graphVersion}/${encodeURIComponent(customerId)}?fields=first_name,last_name,name&access_token=${token}`, {
        signal: AbortSignal.timeout(fetchTimeoutMs),
      });
      if (!response.ok) return {};
      const body = (await response.json()) as { name?: string; first_name?: string; last_name?: string };
      const name = body.name ?? [body.first_name, body.last_name].filter(Boolean).join(' ');
      return name ? { name } : {};
    },
  };
}
