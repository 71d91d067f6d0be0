import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Express, Request, Response } from 'express';
import { errorHandler } from '../http/apiError';

/** Answers the request (true) or leaves it to the app (false); a failure goes to `refuse`, which answers it as the app's error handler does. */
export type LeanHandler = (req: IncomingMessage, res: ServerResponse, refuse: (req: IncomingMessage, res: ServerResponse, error: unknown) => void) => boolean;

/**
 * Runs `lean` before express's own request handling (its router and per-request set-up), as the
 * request listener's first step: what it leaves goes on to the app untouched. Its failures are
 * answered by `errorHandler`, on the request and response as express would have made them.
 */
export function answerAheadOfExpress(app: Express, lean: LeanHandler): void {
  // express's request listener calls `app.handle` (not typed: express calls it private) for every request.
  const dispatch = app as unknown as { handle: (req: IncomingMessage, res: ServerResponse, next?: unknown) => void };
  const expressHandle = dispatch.handle.bind(app);
  const refuse = (req: IncomingMessage, res: ServerResponse, error: unknown) => {
    // What express's app.handle does to every request before its first middleware.
    const request = Object.setPrototypeOf(req, app.request) as Request;
    const response = Object.setPrototypeOf(res, app.response) as Response;
    request.res = response;
    response.req = request;
    response.locals ??= Object.create(null) as Record<string, unknown>;
    errorHandler(error, request, response, () => {});
  };
  dispatch.handle = (req, res, next) => {
    if (!lean(req, res, refuse)) expressHandle(req, res, next);
  };
}

