import { Agent, request } from 'undici';

/**
 * Every platform call goes through one keep-alive agent with undici's `request`: the offer path
 * calls a platform once or twice per message, and `fetch` spent several times the CPU per call
 * (web streams, a Response object) on what is a small JSON exchange.
 */
const agent = new Agent({ keepAliveTimeout: 10_000, connections: 128 });

export interface PlatformResponse {
  status: number;
  ok: boolean;
  /** the body as JSON when it is JSON, else undefined */
  body: unknown;
  header(name: string): string | null;
}

export async function platformRequest(
  url: string,
  { method = 'GET', headers = {}, json, timeoutMs }: { method?: 'GET' | 'POST'; headers?: Record<string, string>; json?: unknown; timeoutMs: number },
): Promise<PlatformResponse> {
  const response = await request(url, {
    method,
    dispatcher: agent,
    headers: json === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: json === undefined ? undefined : JSON.stringify(json),
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });
  const text = await response.body.text();
  return {
    status: response.statusCode,
    ok: response.statusCode >= 200 && response.statusCode < 300,
    body: parsedJson(text),
    header(name) {
      const value = response.headers[name.toLowerCase()];
      return Array.isArray(value) ? (value[0] ?? null) : (value ?? null);
    },
  };
}

function parsedJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}
