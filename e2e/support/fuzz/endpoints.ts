import type { JsonSchema } from './schemaValues';

export interface Endpoint {
  method: string;
  /** below the server root, `{name}` for each path parameter */
  path: string;
  query: Array<{ name: string; schema: JsonSchema; required: boolean }>;
  jsonBody?: JsonSchema;
  csvBody: boolean;
  /** errors answer the error model (else an HTML page may answer, as the redeem page does) */
  api: boolean;
  /** keys that must not be sent here: the fuzzer stays out of what they may legitimately wreck */
  skipCallers?: string[];
}

interface OpenApiDocument {
  paths: Record<string, Record<string, { parameters?: Array<{ in: string; name: string; schema: JsonSchema; required?: boolean }>; requestBody?: { content: Record<string, { schema: JsonSchema }> } }>>;
  components: { schemas: Record<string, JsonSchema> };
}

/** Every operation of the served OpenAPI document. */
export function apiEndpoints(document: OpenApiDocument): Endpoint[] {
  return Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.entries(operations).map(([method, operation]) => ({
      method: method.toUpperCase(),
      path: `/api/v1${path}`,
      query: (operation.parameters ?? []).filter((p) => p.in === 'query').map((p) => ({ name: p.name, schema: p.schema, required: p.required ?? false })),
      jsonBody: operation.requestBody?.content['application/json']?.schema,
      csvBody: Boolean(operation.requestBody?.content['text/csv']),
      api: true,
    })),
  );
}

const none: Endpoint['query'] = [];
const dashboardWrites = ['instance admin'];

/** What the server serves outside the OpenAPI document. */
export const otherEndpoints: Endpoint[] = [
  { method: 'GET', path: '/api/v1/openapi.json', query: none, csvBody: false, api: true },
  { method: 'GET', path: '/r/{token}', query: none, csvBody: false, api: false },
  { method: 'POST', path: '/r/{token}/redeem', query: none, csvBody: false, api: false, jsonBody: { type: 'object' } },
  { method: 'GET', path: '/staff', query: none, csvBody: false, api: false },
  { method: 'GET', path: '/healthz', query: none, csvBody: false, api: true },
  { method: 'GET', path: '/metrics', query: none, csvBody: false, api: true },
  { method: 'GET', path: '/admin/queues', query: none, csvBody: false, api: true },
  // The instance admin may pause and fill the queues through these: the fuzzer tries every other key.
  { method: 'GET', path: '/admin/queues/api/queues', query: [{ name: 'activeQueue', schema: { type: 'string' }, required: false }], csvBody: false, api: true, skipCallers: dashboardWrites },
  { method: 'PUT', path: '/admin/queues/api/queues/{queue}/pause', query: none, csvBody: false, api: true, skipCallers: dashboardWrites },
  {
    method: 'POST',
    path: '/admin/queues/api/queues/{queue}/add',
    query: none,
    csvBody: false,
    api: true,
    skipCallers: dashboardWrites,
    jsonBody: { type: 'object', properties: { name: { type: 'string' }, data: { type: 'object' } }, required: ['name'] },
  },
  { method: 'PUT', path: '/admin/queues/api/queues/{queue}/concurrency', query: none, csvBody: false, api: true, skipCallers: dashboardWrites, jsonBody: { type: 'object', properties: { concurrency: { type: 'integer', minimum: 1 } } } },
];

/** `/webhooks/:inboxId` (SPEC §4): signed by the platforms, so every request here must be refused cleanly. */
export const webhookEndpoints: Endpoint[] = [
  { method: 'POST', path: '/webhooks/{inboxId}', query: none, csvBody: false, api: true, jsonBody: { type: 'object' } },
  { method: 'GET', path: '/webhooks/{inboxId}', query: [{ name: 'hub.mode', schema: { type: 'string' }, required: false }, { name: 'hub.verify_token', schema: { type: 'string' }, required: false }, { name: 'hub.challenge', schema: { type: 'string' }, required: false }], csvBody: false, api: true },
];
