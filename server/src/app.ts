import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import express from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import proxyAddr from 'proxy-addr';
import { authenticate } from './auth/authenticate';
import { requireInstanceAdmin } from './auth/requireInstanceAdmin';
import { apiRoutes } from './apiRoutes';
import type { ServerDeps } from './deps';
import { ApiError, errorHandler } from './http/apiError';
import { drainUnreadBody } from './http/drainUnreadBody';
import { jsonBody } from './http/jsonBody';
import { createMetrics } from './http/metrics';
import { mountRoutes } from './http/mountRoutes';
import { openApiDocument } from './http/openApiDocument';
import { redeemRoutes } from './redeem/redeemRoutes';
import { staffRoutes } from './staff/staffRoutes';
import { webhookRoutes } from './webhooks/webhookRoutes';
import { answerAheadOfExpress } from './webhooks/answerAheadOfExpress';
import { leanWebhook } from './webhooks/leanWebhook';
import { queueDashboard } from './admin/queueDashboard';
import { healthCheck } from './http/healthCheck';
import { headersSetBy, leanRoutes } from './http/leanRoutes';
import { serveEditor } from './editor/serveEditor';

export const apiVersion = '1.0.0';

/** The HTTP server everyone outside talks to (SPEC §5, §2.5): the lean routes, then the express application. */
export function createApp(deps: ServerDeps, logger: Logger): Server {
  const app = express();
  app.disable('x-powered-by');
  const metrics = createMetrics();
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        imgSrc: ["'self'", 'https:', 'data:'],
        // The redeem and staff pages carry their small style and script inline (no framework, one request).
        styleSrc: ["'self'", "'unsafe-inline'"],
        scriptSrc: ["'self'", "'unsafe-inline'"],
        formAction: ["'self'"],
        frameAncestors: ["'self'"],
      },
    },
  });
  const redeem = redeemRoutes(deps);
  const lean = { logger, metrics, securityHeaders: headersSetBy(securityHeaders) };

  app.use(
    pinoHttp({
      logger,
      genReqId: (req, res) => {
        const id = (typeof req.headers['x-request-id'] === 'string' && req.headers['x-request-id'].slice(0, 100)) || randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      // Tokens in /r/ paths are bearer secrets: log the route shape, not the token.
      serializers: { req: (req) => ({ id: req.id, method: req.method, url: String(req.url).replace(/^\/r\/[^/?]+/, '/r/:token') }) },
    }),
  );
  app.use(metrics.measure);
  app.use(drainUnreadBody);
  app.use(securityHeaders);

  if (deps.config.trustProxy !== undefined) app.set('trust proxy', deps.config.trustProxy);
  const checkKey = authenticate(deps.db, deps.adminKeyHash);
  // Instance-wide figures: Prometheus scrapes with the instance admin key as its bearer token.
  app.get('/metrics', checkKey, requireInstanceAdmin, metrics.expose);

  const routes = apiRoutes(deps);
  const document = openApiDocument(routes, { serverUrl: deps.config.publicUrl, version: apiVersion });
  const api = express.Router();
  api.use(jsonBody({ limit: '1mb' }));
  api.get('/openapi.json', (_req, res) => void res.json(document));
  api.use(mountRoutes(routes, checkKey));
  api.use((req) => {
    throw new ApiError(404, 'not_found', `No endpoint ${req.method} ${req.baseUrl}${req.path}`);
  });
  app.use('/api/v1', api);

  app.use(redeem.router);
  app.use(webhookRoutes(deps));
  app.use(queueDashboard(deps.runtime, checkKey));
  app.use(staffRoutes());
  app.use(serveEditor(deps.editorDistDir));
  app.use((req) => {
    throw new ApiError(404, 'not_found', `Nothing at ${req.method} ${req.path.slice(0, 200)}`);
  });
  app.use(errorHandler);
  // The customer's page and the health check are answered before express is entered: they are the busiest routes.
  const clientIp = (req: IncomingMessage) => proxyAddr(req, app.get('trust proxy fn') as (address: string, hop: number) => boolean);
  const etag = (body: string) => (app.get('etag fn') as ((body: string, encoding: string) => string) | undefined)?.(body, 'utf8');
  // The platforms' webhooks (POSTs) come next, still ahead of express's router; the rest goes to the app.
  const webhooksThenApp = answerAheadOfExpress(app, leanWebhook(deps, lean));
  return createServer(leanRoutes([redeem.page, healthCheck(deps)], { ...lean, clientIp, etag }, webhooksThenApp));
}
