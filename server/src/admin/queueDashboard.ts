import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { Router, type RequestHandler } from 'express';
import type { Runtime } from '@couponflow/flow-runtime';
import { requireInstanceAdmin } from '../auth/requireInstanceAdmin';
import { ApiError } from '../http/apiError';

/**
 * bull-board at /admin/queues for the instance admin only: its queues hold every organisation's
 * jobs (redeem links among them) and its API changes them. Organisations follow their own work
 * through the API and the web app. Browsers send the key as the password of HTTP Basic auth; API
 * clients may use the Bearer header.
 */
export function queueDashboard(runtime: Runtime, authenticate: RequestHandler): Router {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath('/admin/queues');
  const { queues } = runtime;
  createBullBoard({
    queues: [...queues.contactShards, queues.outbound, queues.outboundWebchat, queues.broadcasts].map((q) => new BullMQAdapter(q)),
    serverAdapter,
  });
  const router = Router();
  router.use(
    '/admin/queues',
    (req, res, next) => {
      const basic = /^Basic\s+(\S+)$/i.exec(req.get('authorization') ?? '');
      if (basic) {
        const password = Buffer.from(basic[1]!, 'base64').toString().split(':').slice(1).join(':');
        req.headers.authorization = `Bearer ${password}`;
      }
      if (!req.get('authorization')) {
        res.set('WWW-Authenticate', 'Basic realm="Couponflow queues", charset="UTF-8"');
        throw new ApiError(401, 'unauthorized', 'Sign in with the instance admin key as the password');
      }
      next();
    },
    authenticate,
    requireInstanceAdmin,
    serverAdapter.getRouter() as Router,
  );
  return router;
}
