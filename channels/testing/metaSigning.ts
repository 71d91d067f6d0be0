import { createHmac } from 'node:crypto';

/** What Meta sends with a webhook: `X-Hub-Signature-256` over the exact bytes. */
export const hubSignature = (appSecret: string, body: string) => `sha256=${createHmac('sha256', appSecret).update(body).digest('hex')}`;

export const graphError = (status: number, code: number, message: string, subcode?: number) => ({
  status,
  body: { error: { message, type: 'OAuthException', code, ...(subcode ? { error_subcode: subcode } : {}), fbtrace_id: 'fake' } },
});
