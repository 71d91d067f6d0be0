import { randomUUID } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { apiErrorOf } from './apiError';
import type { createMetrics } from './metrics';

/** A GET (and HEAD) route answered before express is entered; `match` gives its parameter, or null. */
export interface LeanRoute {
  /** the route's pattern, as metrics and logs name it (never the raw URL: tokens are secrets) */
  route: string;
  match(path: string): string | null;
  handle(exchange: LeanExchange, param: string): Promise<void>;
}

/** A response body: text, bytes, or parts written one after the other. */
export type LeanBody = string | Buffer | readonly (string | Buffer)[];

export interface LeanOptions {
  logger: Logger;
  metrics: ReturnType<typeof createMetrics>;
  /** the headers the stack's security middleware (helmet) sets on every answer: see headersSetBy */
  securityHeaders: Record<string, string>;
  /** the client's address as the app reads it (its `trust proxy` setting applies) */
  clientIp(req: IncomingMessage): string | undefined;
  /** the ETag the app gives a JSON body, if any */
  etag(body: string): string | undefined;
}

/**
 * The busiest routes (the customer's redeem page, `/healthz`) answered by a plain request listener
 * that hands everything else to `fallback` (the express app): express's router, the logging,
 * metrics and security-header middleware cost more than the page itself. These routes keep what
 * the stack gives: the same security headers (computed once), the request id, the request metric
 * and the access log line (never the raw URL), and the error model for the unexpected.
 */
export function leanRoutes(routes: LeanRoute[], options: LeanOptions, fallback: RequestListener): RequestListener {
  const layouts = new HeaderLayouts(options.securityHeaders);
  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return void fallback(req, res);
    const path = pathOf(req.url);
    for (const route of routes) {
      const param = route.match(path);
      if (param === null) continue;
      const exchange = new LeanExchange(req, res, route.route, options, layouts);
      route.handle(exchange, param).catch((error: unknown) => exchange.fail(error));
      return;
    }
    fallback(req, res);
  };
}

const noHeaders: readonly string[] = [];
export const jsonHeaders = Object.freeze({ 'Content-Type': 'application/json; charset=utf-8' });

/** One request to a lean route: what the route reads of it, and the one way it answers. */
export class LeanExchange {
  readonly id: string;
  private readonly started = performance.now();

  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    private readonly route: string,
    private readonly options: LeanOptions,
    private readonly layouts: HeaderLayouts,
  ) {
    this.id = requestIdOf(req);
  }

  get ip(): string | undefined {
    return this.options.clientIp(this.req);
  }

  /**
   * The whole answer in one go: one `writeHead` from a prepared header list (security headers,
   * request id, `extra`, `headers`, Content-Length), the body corked into one write, then its
   * metric and log line. HEAD gets the same headers and no body (node drops it).
   */
  send(status: number, headers: Readonly<Record<string, string>>, body: LeanBody, extra: readonly string[] = noHeaders): void {
    const layout = this.layouts.of(headers);
    const list = [...layout.before, 'X-Request-Id', this.id, ...extra, ...layout.after, 'Content-Length', String(byteLength(body))];
    const { res } = this;
    res.writeHead(status, list);
    if (typeof body === 'string' || Buffer.isBuffer(body)) res.end(body);
    else {
      res.cork();
      for (const part of body) res.write(part);
      res.end();
      res.uncork();
    }
    this.done(status);
  }

  /** JSON as express's `res.json` sends it, with the app's ETag; `headers` name its Content-Type (see jsonHeaders). */
  sendJson(status: number, headers: Readonly<Record<string, string>>, value: unknown, extra: readonly string[] = noHeaders): void {
    const body = JSON.stringify(value);
    const etag = this.options.etag(body);
    this.send(status, headers, body, etag ? [...extra, 'ETag', etag] : extra);
  }

  /** The unexpected: logged, and answered with the error model as the app's error handler would. */
  fail(error: unknown): void {
    const { logger } = this.options;
    const logged = { id: this.id, method: this.req.method, url: this.route };
    logger.error({ err: error, req: logged }, 'unexpected error');
    if (this.res.headersSent) return void this.res.end();
    const apiError = apiErrorOf(error);
    this.sendJson(apiError.status, jsonHeaders, { error: { code: apiError.code, message: apiError.message, details: apiError.details } }, Object.entries(apiError.headers).flat());
  }

  private done(status: number): void {
    const { metrics, logger } = this.options;
    // Observed as the answer is handed to the socket (the stack waits for 'finish': the same moment
    // for a page written in one go, without a listener per request).
    const seconds = (performance.now() - this.started) / 1000;
    const method = this.req.method ?? 'GET';
    metrics.observe({ method, route: this.route, status: String(status) }, seconds);
    if (logger.isLevelEnabled('info'))
      logger.info({ req: { id: this.id, method, url: this.route }, res: { statusCode: status }, responseTime: Math.round(seconds * 1000) }, 'request completed');
  }
}


/**
 * Where a route's headers go among the security headers, worked out once per headers object: one
 * that names a security header (the page's own CSP) takes its place, the others follow the request
 * id — the order `setHeader` then `writeHead` gave.
 */
class HeaderLayouts {
  private readonly layouts = new WeakMap<object, { before: string[]; after: string[] }>();

  constructor(private readonly security: Record<string, string>) {}

  of(headers: Readonly<Record<string, string>>): { before: string[]; after: string[] } {
    let layout = this.layouts.get(headers);
    if (!layout) {
      const own = new Map(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), [name, value] as const]));
      const before = Object.entries(this.security).flatMap(([name, value]) => own.get(name.toLowerCase()) ?? [name, value]);
      const after = [...own].filter(([key]) => !Object.keys(this.security).some((name) => name.toLowerCase() === key)).flatMap(([, pair]) => pair);
      this.layouts.set(headers, (layout = { before, after }));
    }
    return layout;
  }
}

function byteLength(body: LeanBody): number {
  if (typeof body === 'string') return Buffer.byteLength(body);
  if (Buffer.isBuffer(body)) return body.length;
  let length = 0;
  for (const part of body) length += typeof part === 'string' ? Buffer.byteLength(part) : part.length;
  return length;
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

/** The request's path, without its query. */
export function pathOf(url: string | undefined): string {
  const raw = url ?? '/';
  const query = raw.indexOf('?');
  return query === -1 ? raw : raw.slice(0, query);
}

/** The caller's X-Request-Id (cut to 100 characters), or a new one. */
export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return (typeof given === 'string' && given.slice(0, 100)) || randomUUID();
}
