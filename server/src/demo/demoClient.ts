import { DemoError } from './demoError';

/** A refusal from the API, kept with its status so the caller can explain the likely cause. */
export class ApiCallError extends DemoError {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export type DemoClient = <T>(method: string, path: string, key: string, json?: unknown) => Promise<T>;

/** JSON calls to `/api/v1` of the running server, with an API key as the Bearer token. */
export function demoClient(baseUrl: string): DemoClient {
  return async <T>(method: string, path: string, key: string, json?: unknown): Promise<T> => {
    let res: Response;
    try {
      res = await fetch(`${baseUrl}/api/v1${path}`, {
        method,
        headers: { Authorization: `Bearer ${key}`, ...(json !== undefined ? { 'Content-Type': 'application/json' } : {}) },
        body: json !== undefined ? JSON.stringify(json) : undefined,
        signal: AbortSignal.timeout(15_000),
      });
    } catch (error) {
      throw new DemoError(`Lost the server at ${baseUrl} during ${method} ${path}: ${(error as Error).message}`);
    }
    const text = await res.text();
    if (!res.ok) throw new ApiCallError(res.status, `${method} /api/v1${path} answered ${res.status}: ${text}`);
    return JSON.parse(text) as T;
  };
}
