import { randomUUID } from 'node:crypto';
import type { Request } from 'express';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { bind, prepared, type Database } from '@couponflow/db';
import { webchatHistory } from '@couponflow/flow-runtime';
import type { ServerDeps } from '../deps';
import { ApiError } from '../http/apiError';
import { defineRoute } from '../http/defineRoute';
import { streamSlots } from './streamSlots';

const contactId = z.string().trim().min(1).max(100).meta({ description: 'Chosen by the visitor’s browser' });
const inboxParams = z.object({ inboxId: z.string() });
const historyQuery = z.object({ contactId, after: z.coerce.number().int().min(0).default(0) });
const item = z
  .object({
    seq: z.number().int(),
    type: z.enum(['text', 'image', 'offer']),
    text: z.string().nullable(),
    imageUrl: z.string().nullable(),
    buttons: z.array(z.object({ title: z.string(), url: z.string() })),
  })
  .meta({ id: 'WebchatItem' });

/**
 * SPEC §4 web chat: public (no key). Messages are accepted once queued (202); the bot's replies
 * are read back, or streamed as server-sent events.
 */
export function webchatRoutes(deps: ServerDeps) {
  const { db, runtime } = deps;
  const common = { tag: 'Web chat', access: 'public', params: inboxParams } as const;
  // Made at the first stream: declaring the routes (for the OpenAPI document) reads no config.
  let slots: ReturnType<typeof streamSlots> | undefined;
  return [
    defineRoute({
      ...common,
      method: 'post',
      path: '/webchat/:inboxId/messages',
      operationId: 'sendWebchatMessage',
      summary: 'A visitor says something to the bot',
      body: z.object({
        contactId,
        text: z.string().trim().min(1).max(2000),
        messageId: z.string().min(1).max(100).optional().meta({ description: 'Send the same id when retrying: it runs once' }),
      }),
      responses: {
        202: { description: 'Accepted (queued)', schema: z.object({ accepted: z.literal(true) }) },
        404: { description: 'not_found' },
        429: { description: 'rate_limited: too many messages from this address' },
        503: { description: 'queue_unavailable: not accepted, send again after Retry-After' },
      },
      handle: async ({ params, body, req }) => {
        await deps.webchatLimiter.consume(req.ip ?? 'unknown');
        const inboxId = await webchatInbox(db, params.inboxId);
        // A visitor's message ids are theirs alone: scoped to the contact, one visitor cannot claim
        // (and so silently drop) another's.
        const eventId = `wc:${encodeURIComponent(body.contactId)}:${encodeURIComponent(body.messageId ?? randomUUID())}`;
        await runtime.acceptMessage({ inboxId, customerId: body.contactId, eventId, text: body.text });
        return { status: 202, body: { accepted: true } };
      },
    }),
    defineRoute({
      ...common,
      method: 'get',
      path: '/webchat/:inboxId/messages',
      operationId: 'listWebchatMessages',
      summary: 'The bot’s messages to a visitor after `after`, oldest first',
      query: historyQuery,
      responses: { 200: { description: 'Messages', schema: z.object({ items: z.array(item) }) }, 404: { description: 'not_found' } },
      handle: async ({ params, query }) => ({ status: 200, body: { items: await webchatHistory(db, await webchatInbox(db, params.inboxId), query.contactId, query.after) } }),
    }),
    defineRoute({
      ...common,
      method: 'get',
      path: '/webchat/:inboxId/stream',
      operationId: 'streamWebchatMessages',
      summary: 'The same messages as server-sent events (`id` is the seq; Last-Event-ID resumes)',
      query: historyQuery,
      responses: {
        200: { description: 'An event stream of WebchatItem', schema: z.string(), contentType: 'text/event-stream' },
        404: { description: 'not_found' },
        429: { description: 'too_many_streams' },
      },
      handle: async ({ params, query, req, res }) => {
        const inboxId = await webchatInbox(db, params.inboxId);
        slots ??= streamSlots(deps.config.maxOpenStreams, deps.config.maxOpenStreamsPerClient);
        const release = slots.take(req.ip ?? 'unknown');
        // Registered before any await: a client that leaves while we subscribe is still cleaned up.
        let unsubscribe: (() => Promise<void>) | null = null;
        const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), 25_000);
        let closed = false;
        res.on('close', () => {
          closed = true;
          release();
          clearInterval(heartbeat);
          void unsubscribe?.();
        });
        res.status(200).set({ 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
        res.flushHeaders();
        let after = lastEventId(req) ?? query.after;
        let sending = Promise.resolve();
        const sendNew = () => {
          // Serialised, so two notifications never send the same item twice.
          sending = sending
            .then(async () => {
              if (closed) return;
              for (const message of await webchatHistory(db, inboxId, query.contactId, after)) {
                res.write(`id: ${message.seq}\nevent: message\ndata: ${JSON.stringify(message)}\n\n`);
                after = message.seq;
              }
            })
            // The database unreachable for a moment: the stream ends and the browser reconnects from its last id.
            .catch(() => void res.end());
        };
        const subscribed = await runtime.subscribeWebchat(inboxId, query.contactId, sendNew);
        if (closed) return void subscribed();
        unsubscribe = subscribed;
        sendNew();
      },
    }),
  ];
}

async function webchatInbox(db: Database, inboxId: string): Promise<string> {
  const inbox = await prepared(db, 'server.webchatInbox', (d, t) =>
    d.select({ id: t.inboxes.id, channel: t.inboxes.channel }).from(t.inboxes).where(eq(t.inboxes.id, bind('inboxId'))),
  ).get({ inboxId });
  if (inbox?.channel !== 'webchat') throw new ApiError(404, 'not_found', 'No such web chat inbox');
  return inbox.id;
}

function lastEventId(req: Request): number | undefined {
  const header = req.get('last-event-id');
  return header && /^\d+$/.test(header) ? Number(header) : undefined;
}
