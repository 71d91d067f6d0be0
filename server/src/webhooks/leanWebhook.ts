import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Express, Request, Response } from 'express';
import type { Logger } from 'pino';
import { QueueUnavailableError } from '@couponflow/flow-runtime';
import type { ServerDeps } from '../deps';
import { ApiError, errorHandler } from '../http/apiError';
import { drainUnreadBody } from '../http/drainUnreadBody';
import { segmentAfter } from '../http/leanRoutes';
import type { createMetrics } from '../http/metrics';
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
  return (req, res, refused) => {
    if (req.method !== 'POST') return false;
    const inboxId = inboxIdOf(pathOf(req.url));
    if (inboxId === null || compressed(req)) return false;
    const started = performance.now();
    const id = requestId(req);
    res.once('finish', () => {
      const seconds = (performance.now() - started) / 1000;
      metrics.observe({ method: 'POST', route, status: String(res.statusCode) }, seconds);
      if (logger.isLevelEnabled('info'))
        logger.info({ req: { id, method: 'POST', url: `/webhooks/${inboxId}` }, res: { statusCode: res.statusCode }, responseTime: Math.round(seconds * 1000) }, 'request completed');
    });
    readBody(req, webhookBodyLimit)
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
        refused(error);
      });
    return true;
  };
}

/** Answers the request (true) or leaves it to the app (false); a failure goes to `refused`, which answers it as the app's error handler does. */
export type LeanHandler = (req: IncomingMessage, res: ServerResponse, refused: (error: unknown) => void) => boolean;

/**
 * Runs `lean` before express's own request handling (its router and per-request set-up), as the
 * request listener's first step: what it leaves goes on to the app untouched. Its failures are
 * answered by `errorHandler`, on the request and response as express would have made them.
 */
export function answerAheadOfExpress(app: Express, lean: LeanHandler): void {
  // express's request listener calls `app.handle` (not typed: express calls it private) for every request.
  const dispatch = app as unknown as { handle: (req: IncomingMessage, res: ServerResponse, next?: unknown) => void };
  const expressHandle = dispatch.handle.bind(app);
  const refused = (req: IncomingMessage, res: ServerResponse) => (error: unknown) => {
    // What express's app.handle does to every request before its first middleware.
    const request = Object.setPrototypeOf(req, app.request) as Request;
    const response = Object.setPrototypeOf(res, app.response) as Response;
    request.res = response;
    response.req = request;
    response.locals ??= Object.create(null) as Record<string, unknown>;
    errorHandler(error, request, response, () => {});
  };
  dispatch.handle = (req, res, next) => {
    if (!lean(req, res, refused(req, res))) expressHandle(req, res, next);
  };
}

/** Shaped as body-parser's errors, so the app's error handler answers them the same way (413 payload_too_large). */
class BodyError extends Error {
  constructor(
    readonly type: string,
    readonly status: number,
  ) {
    super(type);
  }
}

/** The raw body, refused past `limit` bytes: at once when its Content-Length says so, else as soon as it grows past it. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (declared > limit) return Promise.reject(new BodyError('entity.too.large', 413));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      done();
      req.pause();
      reject(new BodyError('entity.too.large', 413));
    };
    const onEnd = () => {
      done();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    };
    const onError = (error: Error) => {
      done();
      reject(Object.assign(new BodyError('request.aborted', 400), { cause: error }));
    };
    // The client went away before the end: nobody is left to answer.
    const onClose = () => onError(new Error('request aborted'));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
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

function pathOf(url: string | undefined): string {
  const raw = url ?? '/';
  const query = raw.indexOf('?');
  return query === -1 ? raw : raw.slice(0, query);
}

function requestId(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return (typeof given === 'string' && given.slice(0, 100)) || randomUUID();
}
