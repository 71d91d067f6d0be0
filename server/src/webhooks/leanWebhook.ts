import type { IncomingMessage } from 'node:http';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { QueueUnavailableError } from '@couponflow/flow-runtime';
import type { ServerDeps } from '../deps';
import { ApiError } from '../http/apiError';
import { drainUnreadBody } from '../http/drainUnreadBody';
import { pathOf, requestIdOf, segmentAfter } from '../http/leanRoutes';
import type { createMetrics } from '../http/metrics';
import type { LeanHandler } from './answerAheadOfExpress';
import { BodyError, readRawBody } from './readRawBody';
import { receivedAnswer, receiveWebhook, webhookBodyLimit } from './receiveWebhook';

const route = '/webhooks/:inboxId';
const inboxIdOf = segmentAfter('/webhooks/');

/**
 * `POST /webhooks/:inboxId` answered ahead of the middleware stack, as `leanRoutes` answers the
 * redeem page: a platform's webhooks are the busiest writes, and the router, access-log, helmet and
 * body-parser layers cost as much as the webhook's own work. It keeps what they gave: the
 * security headers (computed once), the request id, the access log line, the request metric and
 * the 1 MB limit (413). Errors go to the app's error handler, which answers them as ever. A
 * compressed body (body-parser inflates it) goes on to the full stack.
 */
export function leanWebhook(
  { runtime }: Pick<ServerDeps, 'runtime'>,
  { logger, metrics, securityHeaders }: { logger: Logger; metrics: ReturnType<typeof createMetrics>; securityHeaders: Record<string, string> },
): LeanHandler {
  const headerEntries = Object.entries(securityHeaders);
  const fixedHeaders = [...headerEntries.flat(), 'Content-Type', 'application/json; charset=utf-8'];
  return (req, res, refuse) => {
    if (req.method !== 'POST') return false;
    const inboxId = inboxIdOf(pathOf(req.url));
    if (inboxId === null || compressed(req)) return false;
    const started = performance.now();
    const id = requestIdOf(req);
    res.once('finish', () => {
      const seconds = (performance.now() - started) / 1000;
      metrics.observe({ method: 'POST', route, status: String(res.statusCode) }, seconds);
      if (logger.isLevelEnabled('info'))
        logger.info({ req: { id, method: 'POST', url: `/webhooks/${inboxId}` }, res: { statusCode: res.statusCode }, responseTime: Math.round(seconds * 1000) }, 'request completed');
    });
    readRawBody(req, webhookBodyLimit)
      .then((rawBody) => receiveWebhook(runtime, inboxId, { rawBody, headers: req.headers, isJson: () => isJson(req) }))
      .then((received) => {
        const answer = receivedAnswer(received);
        // One writeHead with every header: no per-header bookkeeping of setHeader.
        res.writeHead(200, [...fixedHeaders, 'X-Request-Id', id, 'Content-Length', String(answer.length)]);
        res.end(answer);
      })
      .catch((error: unknown) => {
        if (res.headersSent) return void res.end();
        for (const [name, value] of headerEntries) res.setHeader(name, value);
        res.setHeader('X-Request-Id', id);
        // A refused body may be unread (too large): read it to the end once answered, as the stack does.
        drainUnreadBody(req as Request, res as Response, () => {});
        if (!(error instanceof ApiError || error instanceof QueueUnavailableError || error instanceof BodyError))
          logger.error({ err: error, req: { id, method: 'POST', url: `/webhooks/${inboxId}` } }, 'unexpected error');
        refuse(req, res, error);
      });
    return true;
  };
}

function compressed(req: IncomingMessage): boolean {
  const encoding = req.headers['content-encoding'];
  return encoding !== undefined && encoding.toLowerCase() !== 'identity';
}

/** The media type, without its parameters (charset), as type-is reads it: case and spaces do not matter. */
function isJson(req: IncomingMessage): boolean {
  const type = req.headers['content-type'];
  return type !== undefined && type.split(';', 1)[0]!.trim().toLowerCase() === 'application/json';
}
