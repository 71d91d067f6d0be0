/* eslint-disable @typescript-eslint/no-explicit-any -- a fake reads whatever JSON a client sends it, like the platform does */
import { createSign, generateKeyPairSync, randomUUID } from 'node:crypto';
import { botframeworkLimits } from '../src/botframework/renderBotframework';
import { FakePlatform, type FakeAnswer, type RecordedRequest } from './fakePlatform';
import { openApiValidator } from './openApiValidator';

// The Swagger file types CardAction.value as an object; the Connector takes any JSON (a URL string for openUrl).
const spec = openApiValidator('botframework-connector-api.json', (schemas) => {
  (schemas.CardAction as any).properties.value = { description: 'any JSON value' };
});
const base64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');
const len = (s: unknown) => (typeof s === 'string' ? Array.from(s).length : 0);
const connectorError = (status: number, code: string, message: string): FakeAnswer => ({ status, body: { error: { code, message } } });

/**
 * A loopback Bot Connector service and its identity provider: publishes OpenID metadata and a JWKS,
 * signs inbound activities with its own RSA key (so the bot's real JWT validation runs), issues
 * client-credentials tokens, and accepts activities that carry one and fit the Connector schema.
 */
export class FakeBotframework extends FakePlatform {
  readonly appId = randomUUID();
  readonly appPassword = `pw-${randomUUID()}`;
  readonly channelId = 'msteams';
  private readonly keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  private readonly kid = `kid-${randomUUID()}`;
  private readonly issuedTokens = new Set<string>();

  constructor() {
    super((r) => this.answer(r));
  }

  get credentials() {
    return { appId: this.appId, appPassword: this.appPassword };
  }

  get openIdMetadataUrl() {
    return `${this.url}/v1/.well-known/openidconfiguration`;
  }

  get tokenUrl() {
    return `${this.url}/botframework.com/oauth2/v2.0/token`;
  }

  /** The activities the Connector accepted, in order. */
  deliveredMessages(): Array<Record<string, any>> {
    return this.accepted('/activities').map((r) => r.body as Record<string, any>);
  }

  /** A user's message activity as the channel posts it to the bot, with a signed JWT. */
  activity(userId: string, text: string, { id = randomUUID() as string, conversationId = `conv-${userId}`, signedFor = this.appId as string, serviceUrl = this.url } = {}) {
    const body = JSON.stringify({
      type: 'message',
      id,
      timestamp: new Date().toISOString(),
      serviceUrl,
      channelId: this.channelId,
      from: { id: userId, name: `User ${userId}` },
      conversation: { id: conversationId },
      recipient: { id: `28:${this.appId}`, name: 'Bot' },
      text,
      locale: 'en-US',
    });
    return { body, headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${this.sign({ aud: signedFor, serviceurl: this.url })}` } };
  }

  /** An RS256 JWT as the Bot Framework channel issues it. */
  sign(claims: Record<string, unknown>): string {
    const now = Math.floor(Date.now() / 1000);
    const header = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: this.kid }));
    const payload = base64url(JSON.stringify({ iss: 'https://api.botframework.com', nbf: now - 10, iat: now - 10, exp: now + 3600, ...claims }));
    const signature = createSign('RSA-SHA256').update(`${header}.${payload}`).sign(this.keys.privateKey);
    return `${header}.${payload}.${base64url(signature)}`;
  }

  private answer(r: RecordedRequest): FakeAnswer {
    if (r.method === 'GET' && r.path === '/v1/.well-known/openidconfiguration')
      return { status: 200, body: { issuer: 'https://api.botframework.com', jwks_uri: `${this.url}/v1/.well-known/keys`, id_token_signing_alg_values_supported: ['RS256'] } };
    if (r.method === 'GET' && r.path === '/v1/.well-known/keys') {
      const jwk = this.keys.publicKey.export({ format: 'jwk' });
      return { status: 200, body: { keys: [{ ...jwk, kid: this.kid, use: 'sig', endorsements: [this.channelId, 'webchat'] }] } };
    }
    if (r.method === 'POST' && r.path === '/botframework.com/oauth2/v2.0/token') {
      const form = r.body as Record<string, string>;
      if (form.grant_type !== 'client_credentials' || form.client_id !== this.appId || form.client_secret !== this.appPassword)
        return { status: 401, body: { error: 'invalid_client' } };
      const token = `bf-${randomUUID()}`;
      this.issuedTokens.add(token);
      return { status: 200, body: { token_type: 'Bearer', expires_in: 3600, access_token: token } };
    }
    const send = r.method === 'POST' && /^\/v3\/conversations\/([^/]+)\/activities$/.exec(r.path);
    if (!send) return connectorError(404, 'NotFound', 'Unknown path');
    const token = (r.headers.authorization ?? '').replace(/^Bearer /, '');
    if (!this.issuedTokens.has(token)) return connectorError(401, 'Unauthorized', 'Authorization has been denied for this request.');
    const activity = r.body as any;
    const problems = spec.check('Activity', activity);
    if (activity?.type !== 'message') problems.push('type must be message');
    if (activity?.conversation?.id !== decodeURIComponent(send[1]!)) problems.push('conversation.id must match the path');
    if (len(activity?.text) > botframeworkLimits.text) problems.push('text too long');
    for (const attachment of activity?.attachments ?? []) {
      if (attachment.contentType !== 'application/vnd.microsoft.card.hero') continue;
      problems.push(...spec.check('HeroCard', attachment.content).map((p) => `hero card ${p}`));
      for (const button of attachment.content?.buttons ?? []) if (button.type === 'openUrl' && !/^https?:\/\//.test(button.value ?? '')) problems.push('openUrl needs a URL');
    }
    if (problems.length) return connectorError(400, 'BadArgument', problems.join('; '));
    return { status: 201, body: { id: randomUUID() } };
  }
}
