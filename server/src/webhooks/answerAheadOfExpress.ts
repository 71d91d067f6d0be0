import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Express, Request, Response } from 'express';
import { errorHandler } from '../http/apiError';

/** Answers the request (true) or leaves it to the app (false); a failure goes to `refuse`, which answers it as the app's error handler does. */
export type LeanHandler = (req: IncomingMessage, res: ServerResponse, refuse: (req: IncomingMessage, res: ServerResponse, error: unknown) => void) => boolean;

/**
 * A request listener that gives each request to `lean` first, ahead of express's router and
 * per-request set-up; what it leaves goes on to the app untouched. Its failures are answered by
 * `errorHandler`, on the request and response as express would have made them.
 */
export function answerAheadOfExpress(app: Express, lean: LeanHandler): RequestListener {
  const refuse = (req: IncomingMessage, res: ServerResponse, error: unknown) => {
    // What express does to every request before its first middleware.
    const request = Object.setPrototypeOf(req, app.request) as Request;
    const response = Object.setPrototypeOf(res, app.response) as Response;
    request.res = response;
    response.req = request;
    response.locals ??= Object.create(null) as Record<string, unknown>;
    errorHandler(error, request, response, () => {});
  };
  return (req, res) => {
    if (!lean(req, res, refuse)) app(req, res);
  };
}
