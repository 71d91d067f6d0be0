import type { RequestHandler } from 'express';
import { ApiError } from '../http/apiError';

/** Instance-wide views (metrics, every organisation's queues) belong to the instance admin alone. */
export const onlyInstanceAdmin: RequestHandler = (req, _res, next) => {
  if (req.principal?.kind !== 'instance_admin') throw new ApiError(403, 'forbidden', 'Only the instance admin key may see this');
  next();
};
