import express, { Router } from 'express';
import type { HandshakeQuery, InboundEvent } from '@couponflow/channels';
import type { ServerDeps } from '../deps';
import { ApiError } from '../http/apiError';

/** Platforms send small JSON events; anything bigger is not theirs. */
export const webhookBodyLimit = '1mb';

/**
 * SPEC §4 inbound `POST /webhooks/:inboxId`: the raw bytes are kept for the signature, which is
 * checked before anything is parsed (401 and nothing queued when it fails); the events are queued
 * (job id = the platform's event id, so a redelivery runs once) and the platform gets its 200 at
 * once. `GET` answers Meta's subscription handshake.
 */
export function webhookRoutes({ runtime }: Pick<ServerDeps, 'runtime'>): Router {
  const router = Router();
  const channelOf = async (inboxId: string) => {
    // A NUL character is in no inbox id (and PostgreSQL would refuse to look it up).
    const channel = inboxId.includes('\u0000') ? undefined : await runtime.channelFor(inboxId);
    if (!channel || channel.inbox.channel === 'webchat') throw new ApiError(404, 'not_found', 'No such inbox');
    if (!channel.adapter) throw new ApiError(503, 'channel_unavailable', 'This inbox’s channel cannot be used; check its credentials', [], { 'Retry-After': '60' });
    return channel.adapter;
  };

  router.get('/webhooks/:inboxId', async (req, res) => {
    const adapter = await channelOf(req.params.inboxId);
    if (!adapter.handshake) throw new ApiError(405, 'method_not_allowed', 'This channel has no GET handshake');
    const answer = adapter.handshake(req.query as HandshakeQuery);
    res.status(answer.status).type('text/plain').send(answer.body);
  });

  router.post('/webhooks/:inboxId', express.raw({ type: () => true, limit: webhookBodyLimit }), async (req, res) => {
    const inboxId = req.params.inboxId;
    const adapter = await channelOf(inboxId);
    const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (!(await adapter.verify({ rawBody, headers: req.headers }))) throw new ApiError(401, 'invalid_signature', 'The request signature is missing or wrong');
    if (!req.is('application/json')) throw new ApiError(415, 'unsupported_media_type', 'Send the body as application/json');
    let body: unknown;
    try {
      body = JSON.parse(rawBody.toString('utf8'));
    } catch {
      throw new ApiError(400, 'malformed_json', 'The body is not valid JSON');
    }
    const events = adapter.parse(body);
    // Queue everything before answering: a 200 means the events are safe in Redis.
    await Promise.all(events.map((event) => accept(inboxId, event)));
    // Written straight out: res.json's ETag and send machinery were a tenth of a webhook's cost here.
    const answer = `{"received":${events.length}}`;
    res.statusCode = 200;
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('Content-Length', answer.length);
    res.end(answer);
  });

  const accept = (inboxId: string, event: InboundEvent) =>
    event.kind === 'message'
      ? runtime.acceptMessage({
          inboxId,
          customerId: event.customerId,
          eventId: event.eventId,
          text: event.text,
          receivedAt: event.timestamp,
          ...(event.name ? { name: event.name } : {}),
          ...(event.channelData ? { channelData: event.channelData } : {}),
        })
      : runtime.acceptDeliveryFailure(inboxId, event);

  return router;
}
