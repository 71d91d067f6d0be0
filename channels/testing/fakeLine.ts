/* eslint-disable @typescript-eslint/no-explicit-any -- a fake reads whatever JSON a client sends it, like the platform does */
import { createHmac, randomUUID } from 'node:crypto';
import { lineLimits } from '../src/line/renderLine';
import { FakePlatform, type FakeAnswer, type RecordedRequest } from './fakePlatform';
import { openApiValidator } from './openApiValidator';

const spec = openApiValidator('line-messaging-api.yml');
const len = (s: unknown) => (typeof s === 'string' ? Array.from(s).length : 0);

/** The limits LINE enforces that its OpenAPI file does not state (channel-specs.md §2). */
function limitProblems(messages: Array<Record<string, any>>): string[] {
  const problems: string[] = [];
  for (const [i, m] of messages.entries()) {
    if (m.type === 'text' && len(m.text) > lineLimits.text) problems.push(`messages[${i}].text: must be at most ${lineLimits.text}`);
    if (m.type !== 'template') continue;
    if (len(m.altText) > lineLimits.altText) problems.push(`messages[${i}].altText: too long`);
    const t = m.template ?? {};
    const textLimit = t.thumbnailImageUrl || t.title ? lineLimits.templateTextWithImage : lineLimits.templateText;
    if (len(t.text) > textLimit) problems.push(`messages[${i}].template.text: must be at most ${textLimit}`);
    if (len(t.title) > lineLimits.templateTitle) problems.push(`messages[${i}].template.title: too long`);
    if ((t.actions ?? []).length > 4) problems.push(`messages[${i}].template.actions: at most 4`);
    for (const a of t.actions ?? []) {
      if (len(a.label) > lineLimits.label) problems.push(`messages[${i}].template.actions.label: must be at most ${lineLimits.label}`);
      if (a.type === 'uri' && (len(a.uri) > lineLimits.uri || !/^(https?|line|tel):/.test(a.uri))) problems.push(`messages[${i}].template.actions.uri: invalid`);
    }
    if (t.thumbnailImageUrl && !String(t.thumbnailImageUrl).startsWith('https://')) problems.push(`messages[${i}].template.thumbnailImageUrl: must be HTTPS`);
  }
  return problems;
}

const refused = (message: string, details: string[] = []): FakeAnswer => ({
  status: 400,
  body: { message, details: details.map((d) => ({ message: d.split(': ')[1] ?? d, property: d.split(': ')[0] })) },
});

/**
 * A loopback LINE Messaging API: bearer token checked, bodies validated against LINE's OpenAPI file
 * plus the documented limits, reply tokens single use, `X-Line-Retry-Key` deduplicated (409).
 */
export class FakeLine extends FakePlatform {
  readonly channelSecret = `secret-${randomUUID()}`;
  readonly channelAccessToken = `token-${randomUUID()}`;
  /** display names the profile API answers */
  readonly profiles = new Map<string, string>();
  private readonly issuedReplyTokens = new Set<string>();
  private readonly replyTokenUser = new Map<string, string>();
  private readonly retryKeys = new Set<string>();

  constructor() {
    super((r) => this.answer(r));
  }

  get credentials() {
    return { channelSecret: this.channelSecret, channelAccessToken: this.channelAccessToken };
  }

  /** The messages LINE accepted (reply and push), in order. */
  deliveredMessages(): Array<Record<string, any>> {
    return this.accepted('/v2/bot/message/').flatMap((r) => (r.body as { messages: Array<Record<string, any>> }).messages);
  }

  /** Who a request was for: `to` of a push, the owner of a reply's token. */
  recipientOf(request: RecordedRequest): string | undefined {
    const body = request.body as { to?: string; replyToken?: string } | undefined;
    return body?.to ?? (body?.replyToken ? this.replyTokenUser.get(body.replyToken) : undefined);
  }

  /** A webhook body from a user saying `text`, and its X-Line-Signature. */
  webhook(userId: string, text: string, { eventId = randomUUID() as string, timestamp = Date.now(), redelivery = false } = {}) {
    const replyToken = randomUUID().replaceAll('-', '');
    this.issuedReplyTokens.add(replyToken);
    this.replyTokenUser.set(replyToken, userId);
    const body = JSON.stringify({
      destination: `U${'0'.repeat(32)}`,
      events: [
        {
          type: 'message',
          mode: 'active',
          timestamp,
          webhookEventId: eventId,
          deliveryContext: { isRedelivery: redelivery },
          source: { type: 'user', userId },
          replyToken,
          message: { type: 'text', id: randomUUID(), text, quoteToken: 'q' },
        },
      ],
    });
    return { body, headers: { 'Content-Type': 'application/json', 'X-Line-Signature': this.sign(body) } };
  }

  sign(body: string): string {
    return createHmac('sha256', this.channelSecret).update(body).digest('base64');
  }

  private answer(r: RecordedRequest): FakeAnswer {
    if (r.headers.authorization !== `Bearer ${this.channelAccessToken}`) return { status: 401, body: { message: 'Authentication failed. Confirm that the access token in the authorization header is valid.' } };
    const profile = r.method === 'GET' && /^\/v2\/bot\/profile\/([^/]+)$/.exec(r.path);
    if (profile) {
      const name = this.profiles.get(decodeURIComponent(profile[1]!));
      return name ? { status: 200, body: { userId: profile[1], displayName: name } } : { status: 404, body: { message: 'Not found' } };
    }
    const kind = r.method === 'POST' && /^\/v2\/bot\/message\/(reply|push)$/.exec(r.path)?.[1];
    if (!kind) return { status: 404, body: { message: 'Not found' } };
    if (!r.body || typeof r.body !== 'object') return refused('The request body has 1 error(s)', ['body: invalid JSON']);
    const body = r.body as { replyToken?: string; messages?: Array<Record<string, any>> };
    const problems = spec.check(kind === 'reply' ? 'ReplyMessageRequest' : 'PushMessageRequest', body);
    problems.push(...limitProblems(body.messages ?? []));
    if (problems.length) return refused(`The request body has ${problems.length} error(s)`, problems);
    if (kind === 'reply') {
      if (!this.issuedReplyTokens.delete(body.replyToken!)) return refused('Invalid reply token');
      return { status: 200, body: { sentMessages: body.messages!.map(() => ({ id: randomUUID() })) } };
    }
    const retryKey = r.headers['x-line-retry-key'];
    if (typeof retryKey === 'string') {
      if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(retryKey)) return refused('The value for the X-Line-Retry-Key header is invalid');
      if (this.retryKeys.has(retryKey)) return { status: 409, body: { message: 'The retry key is already accepted' }, headers: { 'x-line-accepted-request-id': 'earlier' } };
      this.retryKeys.add(retryKey);
    }
    return { status: 200, body: { sentMessages: body.messages!.map(() => ({ id: randomUUID() })) } };
  }
}
