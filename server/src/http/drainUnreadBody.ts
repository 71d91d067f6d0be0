import type { RequestHandler } from 'express';

/** Past this much unread body a client is not worth waiting for: its connection is closed instead. */
const maxDrainBytes = 64 * 1024 * 1024;

/**
 * When an answer goes out before its request's body was read to the end (a CSV refused at its
 * first line, say), the rest of the body is read and dropped. Node does this by itself only for
 * bodies nobody started reading; a half-read one stalled the connection until the keep-alive
 * timeout killed it, so the client's upload was cut off and its next request hung or was reset.
 */
export const drainUnreadBody: RequestHandler = (req, res, next) => {
  res.on('finish', () => {
    if (req.complete || req.destroyed) return;
    let drained = 0;
    req.unpipe();
    req.on('data', (chunk: Buffer) => {
      drained += chunk.length;
      if (drained > maxDrainBytes) req.destroy();
    });
    req.resume();
  });
  next();
};
