import { randomUUID } from 'node:crypto';
import { Router, type Request } from 'express';
import { z } from 'zod';
import { zodDetails } from '@couponflow/coupons';
import { webchatHistory } from '@couponflow/flow-runtime';
import { inboxes } from '@couponflow/db';
import { eq } from 'drizzle-orm';
import type { ServerDeps } from '../deps';
import { ApiError } from '../http/apiError';

const contactId = z.string().trim().min(1).max(100);
const messageBody = z.object({ contactId, text: z.string().trim().min(1).max(2000), messageId: z.string().min(1).max(100).optional() });
const historyQuery = z.object({ contactId, after: z.coerce.number().int().min(0).default(0) });

/**
 * SPEC §4 web chat: public (no key), the visitor's browser picks its contactId. Messages are
 * accepted once queued (202); the bot's replies are read back or streamed as server-sent events.
 */
export function webchatRoutes({ db, runtime }: ServerDeps): Router {
  const router = Router();
  const webchatInbox = (inboxId: string) => {
    const inbox = db.select({ id: inboxes.id, channel: inboxes.channel }).from(inboxes).where(eq(inboxes.id, inboxId)).get();
    if (inbox?.channel !== 'webchat') throw new ApiError(404, 'not_found', 'No such web chat inbox');
    return inbox;
  };

  router.post('/webchat/:inboxId/messages', async (req, res) => {
    const inbox = webchatInbox(req.params.inboxId);
    const body = parse(messageBody, req.body);
    // A browser retrying the same send passes the same messageId: it runs once.
    await runtime.acceptMessage({ inboxId: inbox.id, customerId: body.contactId, eventId: body.messageId ?? randomUUID(), text: body.text });
    res.status(202).json({ accepted: true });
  });

  router.get('/webchat/:inboxId/messages', (req, res) => {
    const inbox = webchatInbox(req.params.inboxId);
    const query = parse(historyQuery, req.query);
    res.json({ items: webchatHistory(db, inbox.id, query.contactId, query.after) });
  });

  router.get('/webchat/:inboxId/stream', async (req, res) => {
    const inbox = webchatInbox(req.params.inboxId);
    const query = parse(historyQuery, { ...req.query, after: lastEventId(req) ?? req.query.after });
    res.status(200).set({ 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
    res.flushHeaders();
    let after = query.after;
    let sending = Promise.resolve();
    const sendNew = () => {
      // Serialised, so two notifications never send the same item twice.
      sending = sending.then(() => {
        for (const item of webchatHistory(db, inbox.id, query.contactId, after)) {
          res.write(`id: ${item.seq}\nevent: message\ndata: ${JSON.stringify(item)}\n\n`);
          after = item.seq;
        }
      });
    };
    const unsubscribe = await runtime.subscribeWebchat(inbox.id, query.contactId, sendNew);
    sendNew();
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), 25_000);
    req.on('close', () => {
      clearInterval(heartbeat);
      void unsubscribe();
    });
  });

  return router;
}

function lastEventId(req: Request): string | undefined {
  const header = req.get('last-event-id');
  return header && /^\d+$/.test(header) ? header : undefined;
}

function parse<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw new ApiError(422, 'validation_failed', 'The request is not valid', zodDetails(result.error));
  return result.data;
}
