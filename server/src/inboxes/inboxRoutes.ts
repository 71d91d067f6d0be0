import { z } from 'zod';
import { channels } from '@couponflow/db';
import { createInbox, listInboxes } from '@couponflow/flow-runtime';
import type { ServerDeps } from '../deps';
import { defineRoute, orgOf } from '../http/defineRoute';

const name = z.string().trim().min(1).max(100);
const apiBaseUrl = z.url({ protocol: /^https?$/ }).optional().meta({ description: 'Where the platform API is (tests point it at a loopback fake)' });
const rateLimitPerSecond = z.number().int().min(1).max(10_000).optional();
const secret = z.string().min(1);
const inboxFields = { name, apiBaseUrl, rateLimitPerSecond };

/** SPEC §5 channel credentials, one shape per channel. */
const inboxInput = z.discriminatedUnion('channel', [
  z.object({ channel: z.literal('webchat'), ...inboxFields, credentials: z.object({}).default({}) }),
  z.object({ channel: z.literal('line'), ...inboxFields, credentials: z.object({ channelSecret: secret, channelAccessToken: secret }) }),
  z.object({ channel: z.literal('messenger'), ...inboxFields, credentials: z.object({ appSecret: secret, pageAccessToken: secret, verifyToken: secret }) }),
  z.object({
    channel: z.literal('whatsapp'),
    ...inboxFields,
    credentials: z.object({ appSecret: secret, accessToken: secret, verifyToken: secret, phoneNumberId: secret }),
  }),
  // Both empty for local use (the Bot Framework Emulator).
  z.object({ channel: z.literal('botframework'), ...inboxFields, credentials: z.object({ appId: z.string(), appPassword: z.string() }) }),
]);

const inboxSchema = z
  .object({ id: z.string(), channel: z.enum(channels), name: z.string(), apiBaseUrl: z.string().nullable(), rateLimitPerSecond: z.number().int(), createdAt: z.string() })
  .meta({ id: 'Inbox' });

export function inboxRoutes({ db, config }: ServerDeps) {
  return [
    defineRoute({
      method: 'post',
      path: '/inboxes',
      operationId: 'createInbox',
      summary: 'Connect an inbox (a channel account, or the built-in web chat)',
      tag: 'Inboxes',
      access: ['owner', 'admin'],
      body: inboxInput,
      responses: { 201: { description: 'The inbox and the URL to give the platform', schema: inboxSchema.extend({ webhookUrl: z.string() }) } },
      handle: ({ body, principal }) => {
        const inbox = createInbox(db, orgOf(principal).orgId, body);
        return { status: 201, body: { ...inbox, webhookUrl: `${config.publicUrl}/webhooks/${inbox.id}` } };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/inboxes',
      operationId: 'listInboxes',
      summary: 'The organisation’s inboxes (credentials are never returned)',
      tag: 'Inboxes',
      access: ['owner', 'admin', 'designer'],
      responses: { 200: { description: 'Inboxes', schema: z.object({ items: z.array(inboxSchema) }) } },
      handle: ({ principal }) => ({ status: 200, body: { items: listInboxes(db, orgOf(principal).orgId) } }),
    }),
  ];
}
