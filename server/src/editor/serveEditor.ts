import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import express, { Router, type Response } from 'express';

/** Where `npm start` (or `npm run build -w @couponflow/flow-editor`) puts the built web app. */
export const editorDistDir = fileURLToPath(new URL('../../../flow-editor/dist', import.meta.url));

/**
 * The web app's own client-side paths. Only these fall back to index.html, so the API, redeem
 * pages, staff page, webhooks, admin dashboard, health and metrics keep their own answers.
 */
export const editorPaths = ['/', '/sign-in', '/flows', '/flows/*rest', '/coupons', '/coupons/*rest', '/inboxes', '/api-keys', '/orgs', '/verify'];

/** A vite build needs no inline script: scripts only from here; React Flow sets inline styles. */
export const editorCsp = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' https: data: blob:",
  "connect-src 'self'",
  "media-src 'self' blob:",
  "frame-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'self'",
].join('; ');

/** Serves the built editor at `/` (SPEC §1); says how to build it when it is missing. */
export function serveEditor(distDir = editorDistDir): Router {
  const router = Router();
  const withCsp = (res: Response) => res.setHeader('Content-Security-Policy', editorCsp);
  router.use(
    '/assets',
    express.static(`${distDir}/assets`, {
      immutable: true,
      maxAge: '1y',
      fallthrough: false,
      setHeaders: (res) => withCsp(res),
    }),
  );
  router.get(editorPaths, (_req, res) => {
    withCsp(res);
    if (!existsSync(`${distDir}/index.html`)) {
      res.status(503).type('text').send('The web app is not built yet: run `npm run build -w @couponflow/flow-editor` (npm start does it for you).');
      return;
    }
    res.set('Cache-Control', 'no-cache').sendFile('index.html', { root: distDir });
  });
  router.get(['/favicon.svg'], (_req, res) => {
    withCsp(res);
    res.sendFile('favicon.svg', { root: distDir }, (error) => error && res.status(404).end());
  });
  return router;
}
