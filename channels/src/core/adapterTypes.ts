/** One bot message as the runtime hands it to any channel (text, image, or an offer with one URL button). */
export interface OutboundMessage {
  type: 'text' | 'image' | 'offer';
  text?: string;
  imageUrl?: string;
  buttons: Array<{ title: string; url: string }>;
  /** WhatsApp: the approved template to use outside the 24 h window (overrides the inbox's) */
  template?: MessageTemplate;
}

/** An approved WhatsApp MARKETING template and how its parameters are filled from the offer. */
export interface MessageTemplate {
  name: string;
  language: string;
  /** header image ← the offer's image */
  headerImage?: boolean;
  /** body {{1}} ← the offer's text */
  bodyText?: boolean;
  /** URL button's dynamic suffix ← the last path segment of the offer's URL (the redeem token) */
  buttonUrlSuffix?: boolean;
}

/** What the platform told us about one contact, kept on the contact for later sends. */
export interface ContactChannelData {
  /** LINE: single-use reply token and when it arrived */
  replyToken?: string;
  replyTokenAt?: number;
  /** Bot Framework conversation reference */
  serviceUrl?: string;
  conversationId?: string;
  botId?: string;
  channelId?: string;
}

/** An inbound webhook, reduced to what the runtime needs. */
export type InboundEvent =
  | {
      kind: 'message';
      /** the platform's event id: a redelivered webhook carries the same one */
      eventId: string;
      customerId: string;
      text: string;
      /** milliseconds since the epoch, as the platform stamped it */
      timestamp: number;
      /** a display name, when the webhook itself carries one (WhatsApp, Bot Framework) */
      name?: string;
      channelData?: ContactChannelData;
    }
  | {
      /** an asynchronous refusal of something we sent (WhatsApp statuses[].errors) */
      kind: 'delivery_failed';
      eventId: string;
      customerId: string;
      messageId: string;
      reason: string;
      permanent: boolean;
    };

/** A field cut to the platform's limit (with an ellipsis), for the caller to log. */
export interface Truncation {
  field: string;
  limit: number;
  length: number;
}

export interface SendContext {
  customerId: string;
  message: OutboundMessage;
  /** stable per message (LINE X-Line-Retry-Key must be a UUID: derived from it) */
  idempotencyKey: string;
  /** the contact's last inbound message, for the platforms' messaging windows */
  lastInboundAt?: number | null;
  channelData?: ContactChannelData;
  /** a reply handle the caller claimed for this send (LINE reply token) */
  replyToken?: string;
  now?: number;
}

export type SendResult =
  | { ok: true; messageId?: string; truncations: Truncation[] }
  | { ok: false; permanent: boolean; reason: string; retryAfterMs?: number; truncations: Truncation[] };

export interface VerifyInput {
  rawBody: Buffer;
  headers: Record<string, string | string[] | undefined>;
}

/** Meta's GET subscription handshake. */
export interface HandshakeQuery {
  'hub.mode'?: string;
  'hub.verify_token'?: string;
  'hub.challenge'?: string;
}

/** One connected account on one platform. Speaks the platform only: nothing of coupons, flows or queues. */
export interface ChannelAdapter {
  readonly channel: string;
  /** free-form messages are refused this long after the contact's last message (Meta's 24 h), if at all */
  readonly messagingWindowMs?: number;
  /** true when the request really comes from the platform (checked on the raw bytes, before parsing) */
  verify(input: VerifyInput): Promise<boolean>;
  /** the contact events in a verified body; skips echoes, deliveries and reads */
  parse(body: unknown): InboundEvent[];
  handshake?(query: HandshakeQuery): { status: number; body: string };
  send(context: SendContext): Promise<SendResult>;
  /** the contact's display name from the platform's profile API, where it has one */
  fetchProfile?(customerId: string): Promise<{ name?: string }>;
}
