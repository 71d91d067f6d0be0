import type { IncomingMessage } from 'node:http';

/** Shaped as body-parser's errors, so the app's error handler answers them the same way (413 payload_too_large). */
export class BodyError extends Error {
  constructor(
    readonly type: string,
    readonly status: number,
  ) {
    super(type);
  }
}

/** The raw body, refused past `limit` bytes: at once when its Content-Length says so, else as soon as it grows past it. */
export function readRawBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (declared > limit) return Promise.reject(new BodyError('entity.too.large', 413));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      done();
      req.pause();
      reject(new BodyError('entity.too.large', 413));
    };
    const onEnd = () => {
      done();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    };
    const onError = (error: Error) => {
      done();
      reject(Object.assign(new BodyError('request.aborted', 400), { cause: error }));
    };
    // The client went away before the end: nobody is left to answer.
    const onClose = () => onError(new Error('request aborted'));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}

