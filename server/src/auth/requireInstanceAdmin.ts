import type { RequestHandler } from 'express';
import { ApiError } from '../http/apiError';

/**
 * After `authenticate`: lets only the instance admin key through. Instance-wide views (the queue
 * dashboard, /metrics) show every organisation's work, so no organisation key may open them.
 */
export const requireInstanceAdmin: RequestHandler = (req, _res, next) => {
  if (req.principal?.kind !== 'instance_admin') throw new ApiError(403, 'forbidden', 'Only the instance admin key may open this');
  next();
};
