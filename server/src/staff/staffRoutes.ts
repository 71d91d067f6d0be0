import { Router } from 'express';
import { staffPageHtml } from './staffPageHtml';

/** `/staff`: where store staff sign in with a staff key and verify a shown code. */
export function staffRoutes(): Router {
  const router = Router();
  router.get('/staff', (_req, res) => {
    res.set('Cache-Control', 'no-store').type('html').send(staffPageHtml);
  });
  return router;
}
