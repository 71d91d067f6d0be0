/* eslint-disable @typescript-eslint/no-explicit-any -- a fake reads whatever JSON a client sends it, like the platform does */
import { randomUUID } from 'node:crypto';
import { whatsappLimits } from '../src/whatsapp/renderWhatsapp';
import { FakePlatform, type FakeAnswer, type RecordedRequest } from './fakePlatform';
import { graphError, hubSignature } from './metaSigning';
import { openApiValidator } from './openApiValidator';

/** The Cloud API accepts `cta_url`, which the published file's enum lacks (channel-specs.md §5). */
const spec = openApiValidator('whatsapp-business-messaging-api.yaml', (schemas) => {
  // The file's button index pattern `^[2-6, 11-14]$` contradicts its own text ("0-9") and Meta's examples ("0").
  for (const name of ['TemplateComponent', 'ButtonComponent']) {
    const schema = schemas[name] as any;
    for (const part of [schema, ...(schema.allOf ?? [])]) if (part.properties?.index) part.properties.index.pattern = '^[0-9]$';
  }
  const interactive = schemas.InteractiveObject as any;
  interactive.properties.type.enum.push('cta_url');
  const action = schemas.ActionObject as any;
  action.oneOf.push({
    required: ['name', 'parameters'],
    properties: {
      name: { const: 'cta_url' },
      parameters: {
        type: 'object',
        required: ['display_text', 'url'],
        properties: { display_text: { type: 'string', maxLength: whatsappLimits.displayText }, url: { type: 'string', pattern: '^https?://' } },
      },
    },
  });
});

const len = (s: unknown) => (typeof s === 'string' ? Array.from(s).length : 0);

/** A loopback WhatsApp Cloud API for one phone number: bearer token, the published schema (+ cta_url) and limits. */
export class FakeWhatsapp extends FakePlatform {
  readonly appSecret = `app-${randomUUID()}`;
  readonly accessToken = `wa-${randomUUID()}`;
  readonly verifyToken = `verify-${randomUUID()}`;
  readonly phoneNumberId = '109876543210';

  constructor() {
    super((r) => this.answer(r));
  }

  get credentials() {
    return { appSecret: this.appSecret, accessToken: this.accessToken, verifyToken: this.verifyToken, phoneNumberId: this.phoneNumberId };
  }

  deliveredMessages(): Array<Record<string, any>> {
    return this.accepted('/messages').map((r) => r.body as Record<string, any>);
  }

  /** The ids of the messages it accepted, in order (for status webhooks). */
  deliveredIds: string[] = [];

  private wrap(value: Record<string, unknown>) {
    const body = JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [{ id: 'WABA', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '15550000000', phone_number_id: this.phoneNumberId }, ...value } }] }],
    });
    return { body, headers: { 'Content-Type': 'application/json', 'X-Hub-Signature-256': hubSignature(this.appSecret, body) } };
  }

  webhook(from: string, text: string, { id = `wamid.${randomUUID()}`, timestamp = Date.now(), name = 'Ana' } = {}) {
    return this.wrap({ contacts: [{ profile: { name }, wa_id: from }], messages: [{ from, id, timestamp: String(Math.floor(timestamp / 1000)), type: 'text', text: { body: text } }] });
  }

  /** A later report that a sent message failed (e.g. 131026 undeliverable). */
  failedStatus(to: string, messageId: string, code = 131026) {
    return this.wrap({ statuses: [{ id: messageId, status: 'failed', timestamp: String(Math.floor(Date.now() / 1000)), recipient_id: to, errors: [{ code, title: 'Message undeliverable' }] }] });
  }

  private answer(r: RecordedRequest): FakeAnswer {
    if (r.headers.authorization !== `Bearer ${this.accessToken}`) return graphError(401, 190, 'Invalid OAuth access token - Cannot parse access token');
    if (r.method !== 'POST' || !new RegExp(`^/v\\d+\\.\\d+/${this.phoneNumberId}/messages$`).test(r.path)) return graphError(404, 100, 'Unknown path');
    const body = r.body as any;
    const problems = spec.check('Message', body);
    if (body?.type === 'text' && len(body.text?.body) > whatsappLimits.text) problems.push(`text.body must be at most ${whatsappLimits.text}`);
    if (body?.type === 'interactive' && body.interactive?.type === 'cta_url' && body.interactive.header && body.interactive.header.type !== 'image' && body.interactive.header.type !== 'text')
      problems.push('cta_url header must be image or text');
    if (problems.length) return graphError(400, 100, `(#100) Invalid parameter: ${problems.join('; ')}`);
    const id = `wamid.${randomUUID()}`;
    this.deliveredIds.push(id);
    return { status: 200, body: { messaging_product: 'whatsapp', contacts: [{ input: body.to, wa_id: body.to }], messages: [{ id }] } };
  }
}
