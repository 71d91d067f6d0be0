import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  /** path with the query string */
  url: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: unknown;
  rawBody: string;
  /** when it arrived (ms) */
  at: number;
  /** what the fake answered */
  status: number;
}

export interface FakeAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type FakeRoute = (request: RecordedRequest) => FakeAnswer | Promise<FakeAnswer>;

/**
 * A loopback stand-in for a platform's API: records every request, answers through the platform's
 * own rules (`route`), and can be told to answer the next requests with a failure or slowly.
 */
export class FakePlatform {
  readonly requests: RecordedRequest[] = [];
  url = '';
  private server: Server;
  private failures: Array<{ remaining: number; answer: FakeAnswer; match: (r: RecordedRequest) => boolean }> = [];
  private delayMs = 0;

  constructor(private readonly route: FakeRoute) {
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  async start(): Promise<this> {
    this.server.listen(0, '127.0.0.1');
    await new Promise((resolve) => this.server.once('listening', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** The next `times` matching requests get `answer` (e.g. 429 with Retry-After, a permanent error). */
  failNext(answer: FakeAnswer, { times = 1, match = () => true }: { times?: number; match?: (request: RecordedRequest) => boolean } = {}): void {
    this.failures.push({ remaining: times, answer, match });
  }

  /** Every answer waits this long first. */
  slow(ms: number): void {
    this.delayMs = ms;
  }

  /** Requests the platform accepted (2xx), optionally only those to paths containing `pathPart`. */
  accepted(pathPart = ''): RecordedRequest[] {
    return this.requests.filter((r) => r.status >= 200 && r.status < 300 && r.path.includes(pathPart));
  }

  reset(): void {
    this.requests.length = 0;
    this.failures = [];
    this.delayMs = 0;
  }

  async close(): Promise<void> {
    const closed = new Promise((resolve) => this.server.close(resolve));
    this.server.closeAllConnections();
    await closed;
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://fake');
    let body: unknown = rawBody;
    if ((req.headers['content-type'] ?? '').includes('json')) {
      try {
        body = JSON.parse(rawBody);
      } catch {
        body = undefined;
      }
    } else if ((req.headers['content-type'] ?? '').includes('x-www-form-urlencoded')) body = Object.fromEntries(new URLSearchParams(rawBody));
    const request: RecordedRequest = { method: req.method ?? 'GET', url: req.url ?? '/', path: url.pathname, query: url.searchParams, headers: req.headers, body, rawBody, at: Date.now(), status: 0 };
    this.requests.push(request);
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
    let answer: FakeAnswer;
    const failure = this.failures.find((f) => f.remaining > 0 && f.match(request));
    if (failure) {
      failure.remaining--;
      answer = failure.answer;
    } else {
      try {
        answer = await this.route(request);
      } catch (error) {
        answer = { status: 500, body: { error: { message: (error as Error).message } } };
      }
    }
    request.status = answer.status;
    res.writeHead(answer.status, { 'Content-Type': 'application/json', ...answer.headers });
    res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
  }
}
