import { Agent, request } from 'node:http';
import type { FuzzRequest } from './requestArbitrary';
import { materialise } from './wireBody';

export interface RawAnswer {
  status: number;
  contentType: string;
  text: string;
}

/**
 * Sends a request exactly as described (node:http keeps `..` and odd escapes in the path, which
 * fetch would normalise away) over keep-alive connections. Event streams are hung up on once their
 * headers arrive; an answer that never comes is an error after `timeoutMs`.
 */
export function rawSender(baseUrl: string, timeoutMs = 15_000) {
  const { hostname, port } = new URL(baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const send = (fuzz: FuzzRequest): Promise<RawAnswer> =>
    new Promise((resolve, reject) => {
      const body = fuzz.body ? materialise(fuzz.body) : undefined;
      let answered = false;
      const req = request(
        { agent, hostname, port, method: fuzz.method, path: fuzz.path, headers: { ...fuzz.headers, ...(body ? { 'Content-Length': String(body.length) } : {}) } },
        (res) => {
          answered = true;
          const contentType = String(res.headers['content-type'] ?? '');
          if (contentType.startsWith('text/event-stream')) {
            res.destroy();
            return resolve({ status: res.statusCode!, contentType, text: '' });
          }
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ status: res.statusCode!, contentType, text: Buffer.concat(chunks).toString() }));
          res.on('error', reject);
        },
      );
      req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      // A server may answer 413 and stop reading a body it refused: the write then fails after the answer.
      req.on('error', (error) => (answered ? undefined : reject(error)));
      req.end(body);
    });
  return { send, close: () => agent.destroy() };
}
