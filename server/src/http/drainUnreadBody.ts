import type { RequestHandler } from 'express';

/**
 * When an answer goes out before its request's body was read to the end (a CSV refused at its
 * first line, say), the rest of the body is read and dropped. Node does this by itself only for
 * bodies nobody started reading; a half-read one stalled the connection until the keep-alive
 * timeout killed it, so the client's next request on it hung for 5 s or was reset.
 */
export const drainUnreadBody: RequestHandler = (req, res, next) => {
  res.on('finish', () => {
    if (req.complete || req.destroyed) return;
    req.unpipe();
    req.resume();
  });
  next();
};
