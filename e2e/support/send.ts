import type { TestServer } from '../../server/src/testing/testServer';

export interface Answer {
  status: number;
  contentType: string;
  text: string;
}

/** One request as a client sends it; an event stream is hung up on once its headers arrive. */
export async function send(server: TestServer, method: string, path: string, options: { key?: string; json?: unknown; body?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
  const hangUp = new AbortController();
  const res = await fetch(`${server.url}${path}`, {
    method,
    redirect: 'manual',
    signal: hangUp.signal,
    headers: {
      ...(options.key ? { Authorization: `Bearer ${options.key}` } : {}),
      ...(options.json !== undefined ? { 'Content-Type': 'application/json' } : {}),
      ...options.headers,
    },
    body: options.json !== undefined ? JSON.stringify(options.json) : options.body,
  });
  const contentType = res.headers.get('content-type') ?? '';
  if (contentType.startsWith('text/event-stream')) {
    hangUp.abort();
    return { status: res.status, contentType, text: '' };
  }
  return { status: res.status, contentType, text: await res.text() };
}
