/* eslint-disable @typescript-eslint/no-explicit-any -- reads the fakes' recorded platform JSON */
import { randomBytes } from 'node:crypto';
import { FakeBotframework, FakeLine, FakeMessenger, FakeWhatsapp, type FakeAnswer, type FakePlatform, type RecordedRequest } from '@couponflow/channels/testing';

/** A message as the customer sees it, whatever the platform's wire format. */
export interface Seen {
  kind: 'text' | 'offer' | 'template' | 'image';
  text?: string;
  imageUrl?: string;
  buttonTitle?: string;
  url?: string;
  raw: unknown;
}

export interface Platform {
  name: string;
  channel: 'line' | 'messenger' | 'whatsapp' | 'botframework';
  fake: FakePlatform;
  credentials: Record<string, string>;
  /** a new customer id in the platform's shape */
  customer(): string;
  /** a correctly signed inbound message (same eventId = the platform redelivering it) */
  inbound(customer: string, text: string, options?: { eventId?: string }): { body: string; headers: Record<string, string> };
  /** the same message with a signature that does not hold (a tampered body, or a token for another bot) */
  forged(customer: string, text: string): { body: string; headers: Record<string, string> };
  /** whom a recorded send request was for */
  recipientOf(request: RecordedRequest): string | undefined;
  /** what the platform accepted for this customer, oldest first */
  seen(customer: string): Seen[];
  /** the answer the platform gives when it refuses for good (blocked user, unknown recipient) */
  permanentError: FakeAnswer;
  /** the path of its send calls (failures are injected only there) */
  sendPath: string;
  /** Meta platforms refuse free-form messages 24 h after the customer's last message */
  window: boolean;
  /** a display name the platform gives for a new customer, as `{{contact.name}}` */
  nameOf?(customer: string): string;
}

const hex = (n: number) => randomBytes(n).toString('hex');
const digits = () => String(10_000_000_000 + Math.floor(Math.random() * 89_999_999_999));
const forCustomer = (fake: FakePlatform, who: (r: RecordedRequest) => string | undefined, customer: string) =>
  fake.requests.filter((r) => r.status >= 200 && r.status < 300 && r.method === 'POST' && who(r) === customer);
/** A signed body changed after signing: the HMAC no longer matches. */
const tampered = (message: { body: string; headers: Record<string, string> }) => ({ ...message, body: message.body.replace(/"(text|body)":"/, '"$1":"!') });

export async function startPlatforms(): Promise<Platform[]> {
  const line = await new FakeLine().start();
  const messenger = await new FakeMessenger().start();
  const whatsapp = await new FakeWhatsapp().start();
  const bot = await new FakeBotframework().start();
  const names = new Map<string, string>();
  return [
    {
      name: 'LINE',
      channel: 'line',
      fake: line,
      credentials: line.credentials,
      customer: () => {
        const id = `U${hex(16)}`;
        names.set(id, `Line user ${id.slice(1, 6)}`);
        line.profiles.set(id, names.get(id)!);
        return id;
      },
      inbound: (customer, text, { eventId } = {}) => line.webhook(customer, text, eventId ? { eventId } : {}),
      forged: (customer, text) => tampered(line.webhook(customer, text)),
      recipientOf: (r) => line.recipientOf(r),
      seen: (customer) =>
        forCustomer(line, (r) => line.recipientOf(r), customer).flatMap((r) =>
          (r.body as any).messages.map((m: any): Seen => {
            if (m.type === 'template') {
              const t = m.template;
              return { kind: 'offer', text: t.text, imageUrl: t.thumbnailImageUrl, buttonTitle: t.actions[0].label, url: t.actions[0].uri, raw: m };
            }
            return { kind: m.type, text: m.text, raw: m };
          }),
        ),
      permanentError: { status: 400, body: { message: 'Failed to send messages' } },
      sendPath: '/v2/bot/message/',
      window: false,
      nameOf: (customer) => names.get(customer)!,
    },
    {
      name: 'Messenger',
      channel: 'messenger',
      fake: messenger,
      credentials: messenger.credentials,
      customer: () => {
        const id = digits();
        messenger.profiles.set(id, { first_name: 'Mia', last_name: id.slice(-4) });
        names.set(id, `Mia ${id.slice(-4)}`);
        return id;
      },
      inbound: (customer, text, { eventId } = {}) => messenger.webhook(customer, text, eventId ? { mid: eventId } : {}),
      forged: (customer, text) => tampered(messenger.webhook(customer, text)),
      recipientOf: (r) => (r.body as any)?.recipient?.id,
      seen: (customer) =>
        forCustomer(messenger, (r) => (r.body as any)?.recipient?.id, customer).map((r): Seen => {
          const m = (r.body as any).message;
          if (m.text !== undefined) return { kind: 'text', text: m.text, raw: m };
          const e = m.attachment.payload.elements?.[0];
          return { kind: 'offer', text: e.title, imageUrl: e.image_url, buttonTitle: e.buttons[0].title, url: e.buttons[0].url, raw: m };
        }),
      permanentError: { status: 400, body: { error: { message: "This person isn't available right now.", type: 'OAuthException', code: 551, fbtrace_id: 'x' } } },
      sendPath: '/me/messages',
      window: true,
      nameOf: (customer) => names.get(customer)!,
    },
    {
      name: 'WhatsApp',
      channel: 'whatsapp',
      fake: whatsapp,
      credentials: whatsapp.credentials,
      customer: () => digits(),
      inbound: (customer, text, { eventId } = {}) => whatsapp.webhook(customer, text, { name: `Ana ${customer.slice(-4)}`, ...(eventId ? { id: eventId } : {}) }),
      forged: (customer, text) => tampered(whatsapp.webhook(customer, text)),
      recipientOf: (r) => (r.body as any)?.to,
      seen: (customer) =>
        forCustomer(whatsapp, (r) => (r.body as any)?.to, customer).map((r): Seen => {
          const b = r.body as any;
          if (b.type === 'text') return { kind: 'text', text: b.text.body, raw: b };
          if (b.type === 'template') return { kind: 'template', raw: b };
          const i = b.interactive;
          return { kind: 'offer', text: i.body.text, imageUrl: i.header?.image?.link, buttonTitle: i.action.parameters.display_text, url: i.action.parameters.url, raw: b };
        }),
      permanentError: { status: 400, body: { error: { message: 'Recipient is not a valid WhatsApp user', type: 'OAuthException', code: 131026, fbtrace_id: 'x' } } },
      sendPath: '/messages',
      window: true,
      nameOf: (customer) => `Ana ${customer.slice(-4)}`,
    },
    {
      name: 'Bot Framework',
      channel: 'botframework',
      fake: bot,
      credentials: bot.credentials,
      customer: () => `29:${hex(8)}`,
      inbound: (customer, text, { eventId } = {}) => bot.activity(customer, text, eventId ? { id: eventId } : {}),
      // The JWT vouches for the sender, not the body: a forgery is a token meant for another bot.
      forged: (customer, text) => bot.activity(customer, text, { signedFor: 'another-bot' }),
      recipientOf: (r) => (r.body as any)?.recipient?.id,
      seen: (customer) =>
        forCustomer(bot, (r) => (r.body as any)?.recipient?.id, customer).map((r): Seen => {
          const a = r.body as any;
          const card = a.attachments?.[0]?.content;
          if (!card) return { kind: 'text', text: a.text, raw: a };
          return { kind: 'offer', text: card.text, imageUrl: card.images?.[0]?.url, buttonTitle: card.buttons[0].title, url: card.buttons[0].value, raw: a };
        }),
      permanentError: { status: 403, body: { error: { code: 'Forbidden', message: 'The bot is blocked by the user' } } },
      sendPath: '/activities',
      window: false,
      nameOf: (customer) => `User ${customer}`,
    },
  ];
}

/** Polls `read` until `done` holds (or gives up after a generous while, saying what it last saw). */
export async function eventually<T>(read: () => T | Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  let value = await read();
  for (let i = 0; i < 600 && !done(value); i++) {
    await new Promise((r) => setTimeout(r, 50));
    value = await read();
  }
  if (!done(value)) throw new Error(`timed out waiting for ${what}; last saw ${JSON.stringify(value)?.slice(0, 2000)}`);
  return value;
}
