/* eslint-disable @typescript-eslint/no-explicit-any -- a fake reads whatever JSON a client sends it, like the platform does */
import { randomUUID } from 'node:crypto';
import { messengerLimits } from '../src/messenger/renderMessenger';
import { FakePlatform, type FakeAnswer, type RecordedRequest } from './fakePlatform';
import { graphError, hubSignature } from './metaSigning';

const len = (s: unknown) => (typeof s === 'string' ? Array.from(s).length : 0);

/** Messenger has no published schema (channel-specs.md §5): the Send API's rules, written out. */
function sendProblems(body: any): string[] {
  const problems: string[] = [];
  if (typeof body?.recipient?.id !== 'string') problems.push('recipient.id is required');
  if (!['RESPONSE', 'UPDATE', 'MESSAGE_TAG'].includes(body?.messaging_type)) problems.push('messaging_type is invalid');
  const m = body?.message;
  if (!m || (m.text === undefined) === (m.attachment === undefined)) return [...problems, 'message needs exactly one of text or attachment'];
  if (m.text !== undefined && (typeof m.text !== 'string' || len(m.text) === 0 || len(m.text) > messengerLimits.text)) problems.push(`message.text must be 1–${messengerLimits.text} characters`);
  const a = m.attachment;
  if (a && a.type === 'template') {
    const p = a.payload ?? {};
    if (p.template_type !== 'generic') problems.push('only generic templates here');
    const elements = p.elements ?? [];
    if (!Array.isArray(elements) || elements.length < 1 || elements.length > 10) problems.push('elements: 1–10');
    for (const e of elements) {
      if (typeof e.title !== 'string' || len(e.title) === 0 || len(e.title) > messengerLimits.title) problems.push(`title must be 1–${messengerLimits.title} characters`);
      if (e.subtitle !== undefined && len(e.subtitle) > messengerLimits.subtitle) problems.push('subtitle too long');
      if ((e.buttons ?? []).length > 3) problems.push('at most 3 buttons');
      for (const b of e.buttons ?? []) {
        if (b.type !== 'web_url' || typeof b.url !== 'string' || !/^https?:\/\//.test(b.url)) problems.push('web_url button needs a url');
        if (typeof b.title !== 'string' || len(b.title) === 0 || len(b.title) > messengerLimits.buttonTitle) problems.push(`button title must be 1–${messengerLimits.buttonTitle} characters`);
      }
    }
  } else if (a && a.type === 'image') {
    if (typeof a.payload?.url !== 'string') problems.push('image attachment needs payload.url');
  } else if (a) problems.push('unsupported attachment');
  return problems;
}

/** A loopback Graph Send API for one page: access token checked, payloads held to the Send API's rules. */
export class FakeMessenger extends FakePlatform {
  readonly appSecret = `app-${randomUUID()}`;
  readonly pageAccessToken = `page-${randomUUID()}`;
  readonly verifyToken = `verify-${randomUUID()}`;
  readonly pageId = '1234567890';
  readonly profiles = new Map<string, { first_name: string; last_name: string }>();

  constructor() {
    super((r) => this.answer(r));
  }

  get credentials() {
    return { appSecret: this.appSecret, pageAccessToken: this.pageAccessToken, verifyToken: this.verifyToken };
  }

  deliveredMessages(): Array<Record<string, any>> {
    return this.accepted('/me/messages').map((r) => (r.body as { message: Record<string, any> }).message);
  }

  webhook(psid: string, text: string, { mid = `m_${randomUUID()}`, timestamp = Date.now(), echo = false } = {}) {
    const body = JSON.stringify({
      object: 'page',
      entry: [
        {
          id: this.pageId,
          time: timestamp,
          messaging: [{ sender: { id: echo ? this.pageId : psid }, recipient: { id: echo ? psid : this.pageId }, timestamp, message: { mid, text, ...(echo ? { is_echo: true } : {}) } }],
        },
      ],
    });
    return { body, headers: { 'Content-Type': 'application/json', 'X-Hub-Signature-256': hubSignature(this.appSecret, body) } };
  }

  private answer(r: RecordedRequest): FakeAnswer {
    if (r.query.get('access_token') !== this.pageAccessToken) return graphError(400, 190, 'Invalid OAuth access token.');
    if (r.method === 'POST' && /^\/v\d+\.\d+\/me\/messages$/.test(r.path)) {
      const problems = sendProblems(r.body);
      if (problems.length) return graphError(400, 100, `(#100) ${problems.join('; ')}`);
      return { status: 200, body: { recipient_id: (r.body as any).recipient.id, message_id: `m_${randomUUID()}` } };
    }
    const profile = r.method === 'GET' && /^\/v\d+\.\d+\/([^/]+)$/.exec(r.path);
    if (profile) {
      const p = this.profiles.get(decodeURIComponent(profile[1]!));
      return p ? { status: 200, body: { ...p, id: profile[1] } } : graphError(400, 100, 'Unsupported get request');
    }
    return graphError(404, 803, 'Unknown path');
  }
}
