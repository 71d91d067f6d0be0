import { z } from 'zod';
import { channels } from '@couponflow/db';

const secret = z.string().min(1);

/** SPEC §5 channel credentials, one shape per channel. */
export const credentialSchemas = {
  webchat: z.object({}),
  line: z.object({ channelSecret: secret, channelAccessToken: secret }),
  messenger: z.object({ appSecret: secret, pageAccessToken: secret, verifyToken: secret }),
  whatsapp: z.object({ appSecret: secret, accessToken: secret, verifyToken: secret, phoneNumberId: secret }),
  // Both empty for local use (the Bot Framework Emulator): inbound is then not authenticated.
  botframework: z.object({ appId: z.string(), appPassword: z.string() }),
} as const;

export const offerTemplate = z
  .object({
    name: z.string().min(1).max(512),
    language: z.string().min(2).max(15).meta({ example: 'en_US' }),
    headerImage: z.boolean().optional().meta({ description: 'header image ← the offer’s image' }),
    bodyText: z.boolean().optional().meta({ description: 'body {{1}} ← the offer’s text' }),
    buttonUrlSuffix: z.boolean().optional().meta({ description: 'URL button’s dynamic suffix ← the redeem token' }),
  })
  .meta({ id: 'OfferTemplate', description: 'WhatsApp: the approved MARKETING template offers use outside the 24 h window' });

const name = z.string().trim().min(1).max(100);
const apiBaseUrl = z.url({ protocol: /^https?$/ }).meta({ description: 'Where the platform API is (tests point it at a loopback fake)' });
const rateLimitPerSecond = z.number().int().min(1).max(10_000).meta({ description: 'Outbound messages per second (SPEC §3.4 defaults per platform)' });
const inboxFields = { name, apiBaseUrl: apiBaseUrl.optional(), rateLimitPerSecond: rateLimitPerSecond.optional() };

export const inboxInput = z.discriminatedUnion('channel', [
  z.object({ channel: z.literal('webchat'), ...inboxFields, credentials: credentialSchemas.webchat.default({}) }),
  z.object({ channel: z.literal('line'), ...inboxFields, credentials: credentialSchemas.line }),
  z.object({ channel: z.literal('messenger'), ...inboxFields, credentials: credentialSchemas.messenger }),
  z.object({ channel: z.literal('whatsapp'), ...inboxFields, credentials: credentialSchemas.whatsapp, offerTemplate: offerTemplate.optional() }),
  z.object({ channel: z.literal('botframework'), ...inboxFields, credentials: credentialSchemas.botframework }),
]);

export const inboxPatch = z
  .object({
    name: name.optional(),
    credentials: z.record(z.string(), z.string()).optional().meta({ description: 'the whole set, checked against the inbox’s channel' }),
    apiBaseUrl: apiBaseUrl.nullable().optional(),
    rateLimitPerSecond: rateLimitPerSecond.optional(),
    offerTemplate: offerTemplate.nullable().optional(),
  })
  .strict();

export const inboxSchema = z
  .object({
    id: z.string(),
    channel: z.enum(channels),
    name: z.string(),
    apiBaseUrl: z.string().nullable(),
    rateLimitPerSecond: z.number().int(),
    offerTemplate: offerTemplate.nullable(),
    credentials: z.record(z.string(), z.string()).meta({ description: 'masked: secrets are never returned' }),
    webhookUrl: z.string().meta({ description: 'paste this into the platform’s webhook setting' }),
    createdAt: z.string(),
  })
  .meta({ id: 'Inbox' });
