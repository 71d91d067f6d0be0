import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';

export type Schemas = components['schemas'];

/**
 * The server's public API, typed from its OpenAPI document (`npm run api-types`). The session
 * cookie rides along; the browser adds the Origin header the server checks on changes.
 */
export const api = createClient<paths>({ baseUrl: '/api/v1', credentials: 'same-origin' });

/** Called when the server says the session is gone (expired, signed out elsewhere, key revoked). */
let onSignedOut: () => void = () => {};
export function whenSignedOut(handler: () => void): void {
  onSignedOut = handler;
}

const sessionWatch: Middleware = {
  onResponse({ response, request }) {
    if (response.status === 401 && !request.url.endsWith('/session')) onSignedOut();
    return response;
  },
};
api.use(sessionWatch);

export interface ApiProblem {
  code: string;
  message: string;
  details: { path: string; message: string; nodeId?: string; edgeId?: string }[];
}

/** The `{error}` body of a failed call, or a generic one when the answer was not ours. */
export function problemOf(error: unknown): ApiProblem {
  const body = error as { error?: ApiProblem } | undefined;
  return body?.error ?? { code: 'unexpected', message: 'Something went wrong. Try again.', details: [] };
}

/** Unwraps an openapi-fetch answer or throws its problem, for code that shows errors in one place. */
export async function must<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (error !== undefined || !response.ok) throw new ApiFailure(problemOf(error), response.status);
  return data as T;
}

export class ApiFailure extends Error {
  constructor(
    readonly problem: ApiProblem,
    readonly status: number,
  ) {
    super(problem.message);
  }
}

/** Field path → message, from a 422's details. */
export function fieldErrors(failure: unknown): Record<string, string> {
  if (!(failure instanceof ApiFailure)) return {};
  return Object.fromEntries(failure.problem.details.map((d) => [d.path, d.message]));
}
