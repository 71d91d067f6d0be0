import express, { Router } from 'express';
import type { HandshakeQuery } from '@couponflow/channels';
import type { ServerDeps } from '../deps';
import { ApiError } from '../http/apiError';
import { receivedAnswer, receiveWebhook, webhookAdapter, webhookBodyLimit } from './receiveWebhook';

/**
 * SPEC §4 `GET /webhooks/:inboxId` answers Meta's subscription handshake. `POST` is answered by
 * `leanWebhook` ahead of the middleware stack; it comes here only when its body is compressed
 * (body-parser inflates it) or its path is unusual, and is received the same way.
 */
export function webhookRoutes({ runtime }: Pick<ServerDeps, 'runtime'>): Router {
  const router = Router();

  router.get('/webhooks/:inboxId', async (req, res) => {
    const adapter = await webhookAdapter(runtime, req.params.inboxId);
    if (!adapter.handshake) throw new ApiError(405, 'method_not_allowed', 'This channel has no GET handshake');
    const answer = adapter.handshake(req.query as HandshakeQuery);
    res.status(answer.status).type('text/plain').send(answer.body);
  });

  router.post('/webhooks/:inboxId', express.raw({ type: () => true, limit: webhookBodyLimit }), async (req, res) => {
    const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const received = await receiveWebhook(runtime, req.params.inboxId, { rawBody, headers: req.headers, isJson: () => Boolean(req.is('application/json')) });
    const answer = receivedAnswer(received);
    res.statusCode = 200;
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('Content-Length', answer.length);
    res.end(answer);
  });

  return router;
}
