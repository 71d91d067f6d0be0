import { createHash } from 'node:crypto';
import { HTTPFetchError, messagingApi, validateSignature } from '@line/bot-sdk';
import type { ChannelAdapter, SendContext, SendResult, Truncation } from '../core/adapterTypes';
import { header } from '../core/hmac';
import { networkFailure } from '../core/httpErrors';
import { classifyLineError, isInvalidReplyToken } from './classifyLineError';
import { parseLineWebhook } from './parseLineWebhook';
import { renderLine } from './renderLine';

export interface LineCredentials {
  channelSecret: string;
  channelAccessToken: string;
}

/** A reply token is good for about a minute; past this we push instead. */
export const replyTokenFreshMs = 50_000;

/** X-Line-Retry-Key must be a UUID: one derived from the message's stable key. */
export function retryKeyFor(idempotencyKey: string): string {
  const hex = createHash('sha256').update(idempotencyKey).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** A LINE official account through the Messaging API (channel-specs.md §2), using @line/bot-sdk. */
export function lineAdapter(credentials: LineCredentials, { apiBaseUrl = 'https://api.line.me' } = {}): ChannelAdapter {
  const client = new messagingApi.MessagingApiClient({ channelAccessToken: credentials.channelAccessToken, baseURL: apiBaseUrl.replace(/\/+$/, '') });

  async function attempt(call: () => Promise<unknown>): Promise<{ ok: true } | { ok: false; status: number; body: string; retryAfter: string | null }> {
    try {
      await call();
      return { ok: true };
    } catch (error) {
      if (error instanceof HTTPFetchError) return { ok: false, status: error.status, body: error.body, retryAfter: error.headers.get('retry-after') };
      throw error;
    }
  }

  return {
    channel: 'line',
    // The SDK's validateSignature compares in constant time on the raw bytes.
    verify: async ({ rawBody, headers }) => {
      const signature = header(headers, 'x-line-signature');
      return Boolean(signature) && Boolean(credentials.channelSecret) && validateSignature(rawBody, credentials.channelSecret, signature!);
    },
    parse: parseLineWebhook,
    async send({ customerId, message, idempotencyKey, replyToken, channelData, now = Date.now() }: SendContext): Promise<SendResult> {
      const truncations: Truncation[] = [];
      const messages = renderLine(message, truncations) as unknown as messagingApi.Message[];
      try {
        const fresh = replyToken && channelData?.replyTokenAt !== undefined && now - channelData.replyTokenAt < replyTokenFreshMs;
        if (fresh) {
          const replied = await attempt(() => client.replyMessage({ replyToken, messages }));
          if (replied.ok) return { ok: true, truncations };
          if (!isInvalidReplyToken(replied.status, replied.body)) return { ...classifyLineError(replied.status, replied.body, replied.retryAfter), truncations };
          // Used or expired: push instead.
        }
        const pushed = await attempt(() => client.pushMessage({ to: customerId, messages }, retryKeyFor(idempotencyKey)));
        // 409: this retry key was already accepted, so the message is out.
        if (pushed.ok || pushed.status === 409) return { ok: true, truncations };
        return { ...classifyLineError(pushed.status, pushed.body, pushed.retryAfter), truncations };
      } catch (error) {
        return { ...networkFailure(error), truncations };
      }
    },
    async fetchProfile(customerId) {
      const profile = await client.getProfile(customerId);
      return profile.displayName ? { name: profile.displayName } : {};
    },
  };
}
