import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import type { createMetrics } from './metrics';

/** A GET (and HEAD) route answered ahead of the middleware stack; `match` gives its parameter, or null. */
export interface LeanRoute {
  /** the route's pattern, as metrics and logs name it (never the raw URL: tokens are secrets) */
  route: string;
  match(path: string): string | null;
  handle(req: Request, res: Response, param: string): Promise<void>;
}

/**
 * The busiest routes (the customer's redeem page, `/healthz`) answered before the logging, metrics
 * and security-header middleware run for every request: the same headers (computed once), request
 * id, metrics and access log, without the per-request work of a dozen middleware layers. Anything
 * else, or anything these routes cannot read, goes on to the full stack.
 */
export function leanRoutes(routes: LeanRoute[], { logger, metrics, securityHeaders }: { logger: Logger; metrics: ReturnType<typeof createMetrics>; securityHeaders: Record<string, string> }): RequestHandler {
  const headerEntries = Object.entries(securityHeaders);
  return (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const path = pathOf(req.url);
    for (const route of routes) {
      const param = route.match(path);
      if (param === null) continue;
      const started = performance.now();
      const id = requestId(req);
      for (const [name, value] of headerEntries) res.setHeader(name, value);
      res.setHeader('X-Request-Id', id);
      res.once('finish', () => {
        const seconds = (performance.now() - started) / 1000;
        metrics.observe({ method: req.method, route: route.route, status: String(res.statusCode) }, seconds);
        if (logger.isLevelEnabled('info'))
          logger.info({ req: { id, method: req.method, url: route.route }, res: { statusCode: res.statusCode }, responseTime: Math.round(seconds * 1000) }, 'request completed');
      });
      route.handle(req, res, param).catch((error: unknown) => {
        logger.error({ err: error, req: { id, method: req.method, url: route.route } }, 'unexpected error');
        next(error);
      });
      return;
    }
    next();
  };
}

/** The headers a middleware (helmet) sets on every answer, captured once. */
export function headersSetBy(middleware: (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void): Record<string, string> {
  const headers: Record<string, string> = {};
  const res = {
    setHeader: (name: string, value: string | number | string[]) => void (headers[name] = Array.isArray(value) ? value.join(', ') : String(value)),
    removeHeader: (name: string) => void delete headers[name],
    getHeader: (name: string) => headers[name],
  };
  let failed: unknown;
  middleware({ headers: {}, method: 'GET', url: '/' } as IncomingMessage, res as unknown as ServerResponse, (error) => (failed = error));
  if (failed) throw failed;
  return headers;
}

/** `/r/:token` style: the one segment after a fixed prefix, decoded; null for anything else. */
export function segmentAfter(prefix: string): (path: string) => string | null {
  return (path) => {
    if (!path.startsWith(prefix) || path.length === prefix.length) return null;
    const segment = path.slice(prefix.length);
    if (segment.includes('/')) return null;
    try {
      return decodeURIComponent(segment);
    } catch {
      return null; // malformed escapes: the full stack answers them as it always has
    }
  };
}

export const exactPath = (wanted: string) => (path: string) => (path === wanted ? '' : null);

function pathOf(url: string | undefined): string {
  const raw = url ?? '/';
  const query = raw.indexOf('?');
  return query === -1 ? raw : raw.slice(0, query);
}

function requestId(req: Request): string {
  const given = req.headers['x-request-id'];
  return (typeof given === 'string' && given.slice(0, 100)) || randomUUID();
}
