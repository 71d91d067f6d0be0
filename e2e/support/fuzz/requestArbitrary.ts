import fc from 'fast-check';
import type { Endpoint } from './endpoints';
import { hostileIds, hostileStrings } from './hostileValues';
import { mutation, replaceAt } from './jsonMutations';
import { valuesOf, type JsonSchema } from './schemaValues';
import { deepMarker, type WireBody } from './wireBody';

export interface FuzzRequest {
  /** the endpoint's `METHOD /path`, for the tally */
  endpoint: string;
  api: boolean;
  method: string;
  /** as it goes on the wire, already percent-encoded where it should be */
  path: string;
  headers: Record<string, string>;
  body?: WireBody;
}

/** The keys and ids the fuzzer aims with: `own` exist in the callers' organisation, `other` in another. */
export interface FuzzTargets {
  callers: Record<string, string | undefined>;
  ids: Record<string, { own: string[]; other: string[] }>;
}

const otherMethods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'];

/** One hostile request to one endpoint: the key, the ids, the query, the body and its wire form vary. */
export function requestTo(endpoint: Endpoint, targets: FuzzTargets, components: Record<string, JsonSchema>): fc.Arbitrary<FuzzRequest> {
  const callerNames = Object.keys(targets.callers).filter((name) => !endpoint.skipCallers?.includes(name));
  return fc
    .record({
      method: fc.oneof({ weight: 12, arbitrary: fc.constant(endpoint.method) }, { weight: 1, arbitrary: fc.constantFrom(...otherMethods) }),
      path: pathOf(endpoint, targets),
      query: queryOf(endpoint, components),
      authorization: authorizationOf(callerNames, targets),
      accept: fc.constantFrom(undefined, 'application/json', 'text/html', '*/*', 'application/xml', 'text/html, application/json;q=0.1', 'application/json, text/html;q=0.1', ';;;'),
      extra: extraHeaders,
      body: bodyOf(endpoint, components),
    })
    .map(({ method, path, query, authorization, accept, extra, body }) => ({
      endpoint: `${endpoint.method} ${endpoint.path}`,
      api: endpoint.api,
      method,
      path: query ? `${path}?${query}` : path,
      headers: { ...extra, ...(authorization ? { Authorization: authorization } : {}), ...(accept ? { Accept: accept } : {}), ...body.headers },
      ...(body.body ? { body: body.body } : {}),
    }));
}

function resourceOf(path: string, param: string): string {
  const byName: Record<string, string> = { inboxId: 'inboxes', customerId: 'contacts', token: 'tokens', version: 'versions', queue: 'queues' };
  if (byName[param]) return byName[param];
  const segments = path.split('/');
  return segments[segments.indexOf(`{${param}}`) - 1] ?? param;
}

function pathOf(endpoint: Endpoint, targets: FuzzTargets): fc.Arbitrary<string> {
  const params = [...endpoint.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  const values = params.map((param) => {
    const known = targets.ids[resourceOf(endpoint.path, param)];
    return fc.oneof(
      { weight: known?.own.length ? 4 : 0, arbitrary: fc.constantFrom(...(known?.own.length ? known.own : ['-'])).map(encodeURIComponent) },
      { weight: known?.other.length ? 2 : 0, arbitrary: fc.constantFrom(...(known?.other.length ? known.other : ['-'])).map(encodeURIComponent) },
      { weight: 3, arbitrary: fc.constantFrom(...hostileIds) },
      { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }).map(encodeSurrogateSafe) },
    );
  });
  return fc.tuple(...values).map((chosen) => params.reduce((path, param, i) => path.replace(`{${param}}`, chosen[i]!), endpoint.path));
}

/** encodeURIComponent throws on a lone surrogate: such a string goes out as its raw UTF-16 bytes, percent-encoded. */
function encodeSurrogateSafe(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return [...Buffer.from(value, 'utf16le')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
  }
}

function queryOf(endpoint: Endpoint, components: Record<string, JsonSchema>): fc.Arbitrary<string> {
  const pair = (name: string, value: string) => `${encodeURIComponent(name)}=${value}`;
  const declared = endpoint.query.map((param) =>
    fc.oneof(
      { weight: 3, arbitrary: valuesOf(param.schema, components).map((v) => pair(param.name, encodeURIComponent(String(v)))) },
      { weight: 2, arbitrary: fc.constant('') },
      { weight: 2, arbitrary: fc.constantFrom(...hostileStrings).map((v) => pair(param.name, encodeSurrogateSafe(v))) },
      { weight: 1, arbitrary: fc.constant(`${pair(param.name, '1')}&${pair(param.name, '2')}`) },
      { weight: 1, arbitrary: fc.constantFrom(`${param.name}[]=a`, `${param.name}[x]=y`, `${param.name}[0][1]=z`, `${param.name}`, `${param.name}=%zz`) },
      { weight: 1, arbitrary: fc.constant(pair(param.name, 'q'.repeat(6000))) },
    ),
  );
  const stray = fc.constantFrom('', '', '', '&&&', '=', 'a=%00', '__proto__[admin]=1', 'constructor[prototype][x]=1', `x=${'%F0%9F%92%A5'.repeat(50)}`);
  return fc.tuple(fc.tuple(...declared), stray).map(([parts, extra]) => [...parts, extra].filter(Boolean).join('&'));
}

const callerWeights: Record<string, number> = { owner: 4, admin: 2, 'other org owner': 2 };

function authorizationOf(callerNames: string[], targets: FuzzTargets): fc.Arbitrary<string | undefined> {
  const owner = targets.callers.owner ?? 'cf_x';
  return fc.oneof(
    // Keys that pass the role check reach the handlers, where the bodies and ids do their work.
    ...callerNames.map((name) => ({ weight: callerWeights[name] ?? 1, arbitrary: fc.constant(targets.callers[name] ? `Bearer ${targets.callers[name]}` : undefined) })),
    {
      weight: 3,
      arbitrary: fc.constantFrom(
        'Bearer',
        'Bearer ',
        `bearer ${owner}`,
        `Bearer  ${owner}  `,
        `Bearer ${owner} ${owner}`,
        `Token ${owner}`,
        `Basic ${Buffer.from(`x:${owner}`).toString('base64')}`,
        'Basic !!!notbase64',
        'Basic ',
        `Bearer ${owner.slice(0, -1)}`,
        `Bearer ${owner}x`,
        `Bearer ${'a'.repeat(8000)}`,
        'Bearer cf_\u00e9\u00ff',
        'Bearer null',
        'Bearer undefined',
        'Bearer ../../admin-api-key',
      ),
    },
  );
}

const extraHeaders: fc.Arbitrary<Record<string, string>> = fc.constantFrom<Record<string, string>>(
  {},
  {},
  {},
  { 'X-Request-Id': 'x'.repeat(5000) },
  { 'X-Request-Id': '../\u00ff%00' },
  { 'X-Forwarded-For': '127.0.0.1, ::1, not-an-ip' },
  { 'Last-Event-ID': '-1' },
  { 'Last-Event-ID': '99999999999999999999999' },
  { 'User-Agent': 'facebookexternalhit/1.1' },
  { 'Content-Encoding': 'identity' },
);

const jsonTypes = ['application/json', 'application/json; charset=utf-8', 'APPLICATION/JSON', 'application/json;charset=UTF-8;foo=bar'];
const wrongTypes = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=----x',
  'application/xml',
  'application/json; charset=utf-16',
  'application/json; charset=nonsense',
  'application/vnd.api+json',
  'text/csv',
  '*/*',
  ';',
  'application/octet-stream',
];
const malformedJson = [
  '{',
  '{"a":',
  '{"a":1,}',
  "{'a':1}",
  '{"a":1}garbage',
  '[1,2',
  'NaN',
  '{"a":NaN}',
  '{"a":1e999}',
  '{"a":01}',
  '\ufeff{"a":1}',
  '{"a":"\\ud800"}',
  '{"a":"\\u0000"}',
  '{"__proto__":{"admin":true},"constructor":{"prototype":{"polluted":true}}}',
  '{"name":"a","name":"b"}',
  'null',
  '""',
  '0',
  '[]',
  '{}',
  '\u0000\u0000\u0000',
];

type BodyChoice = { body?: WireBody; headers: Record<string, string> };

function bodyOf(endpoint: Endpoint, components: Record<string, JsonSchema>): fc.Arbitrary<BodyChoice> {
  const valid = endpoint.jsonBody ? valuesOf(endpoint.jsonBody, components) : fc.constant({});
  const json = (value: unknown, type: string = 'application/json'): BodyChoice => ({ body: { kind: 'json', value }, headers: { 'Content-Type': type } });
  const takesBody = Boolean(endpoint.jsonBody || endpoint.csvBody);
  const w = (weight: number) => (takesBody ? weight : Math.max(0, Math.round(weight / 4)));
  return fc.oneof(
    { weight: takesBody ? 1 : 40, arbitrary: fc.constant<BodyChoice>({ headers: {} }) },
    { weight: w(6), arbitrary: fc.tuple(valid, fc.constantFrom(...jsonTypes)).map(([value, type]) => json(value, type)) },
    { weight: w(16), arbitrary: fc.tuple(valid, mutation).map(([value, mutate]) => json(mutate(value))) },
    { weight: w(3), arbitrary: fc.constantFrom(...malformedJson).map((text): BodyChoice => ({ body: { kind: 'text', text }, headers: { 'Content-Type': 'application/json' } })) },
    {
      weight: w(3),
      arbitrary: fc.tuple(valid, fc.nat(), fc.constantFrom(5000, 5000, 100, 65, 100_000), fc.constantFrom('array', 'object') as fc.Arbitrary<'array' | 'object'>).map(
        ([value, at, depth, shape]): BodyChoice => ({ body: { kind: 'json', value: replaceAt(value, at, deepMarker), deep: { depth, shape } }, headers: { 'Content-Type': 'application/json' } }),
      ),
    },
    { weight: w(3), arbitrary: fc.tuple(valid, fc.constantFrom(...wrongTypes)).map(([value, type]) => json(value, type)) },
    { weight: w(2), arbitrary: fc.constantFrom(...jsonTypes, 'text/csv', 'text/plain').map((type): BodyChoice => ({ body: { kind: 'text', text: '' }, headers: { 'Content-Type': type } })) },
    {
      weight: w(1),
      arbitrary: fc
        .tuple(fc.constantFrom(1_100_000, 2_000_000), fc.constantFrom('string', 'array') as fc.Arbitrary<'string' | 'array'>)
        .map(([bytes, shape]): BodyChoice => ({ body: { kind: 'huge', bytes, shape }, headers: { 'Content-Type': 'application/json' } })),
    },
    {
      weight: w(2),
      arbitrary: fc.uint8Array({ minLength: 1, maxLength: 300 }).chain((bytes) =>
        fc.constantFrom('application/json', 'text/csv', 'application/octet-stream').map((type): BodyChoice => ({ body: { kind: 'bytes', hex: Buffer.from(bytes).toString('hex') }, headers: { 'Content-Type': type } })),
      ),
    },
    { weight: endpoint.csvBody ? 6 : w(1), arbitrary: csvBody },
    { weight: endpoint.csvBody ? 1 : 0, arbitrary: fc.constant<BodyChoice>({ body: { kind: 'huge', bytes: 11 * 1024 * 1024, shape: 'csv' }, headers: { 'Content-Type': 'text/csv' } }) },
    { weight: w(1), arbitrary: fc.constantFrom('name=x&role=owner', 'a[b][c]=1', '%zz=%zz', '=&=&').map((text): BodyChoice => ({ body: { kind: 'text', text }, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } })) },
    {
      weight: w(1),
      arbitrary: fc.tuple(valid, fc.constantFrom('gzip', 'deflate', 'br', 'x-unknown', 'gzip, gzip')).map(([value, encoding]): BodyChoice =>
        encoding === 'gzip'
          ? { body: { kind: 'gzip', text: JSON.stringify(value) ?? '' }, headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' } }
          : { body: { kind: 'text', text: JSON.stringify(value) ?? '' }, headers: { 'Content-Type': 'application/json', 'Content-Encoding': encoding } },
      ),
    },
  );
}

const csvLine = fc.oneof(
  fc.stringMatching(/^[A-Z0-9]{6,12}$/),
  fc.constantFrom(...hostileStrings.filter((s) => !s.includes('\r'))),
  fc.constantFrom('"quoted, value"', '"unterminated', 'a,b,c', '"a""b"', '=cmd|/C calc', '\ufeffCODE', 'code'),
);
const csvBody: fc.Arbitrary<BodyChoice> = fc
  .tuple(fc.array(csvLine, { maxLength: 12 }), fc.constantFrom('\n', '\r\n', '\r'), fc.constantFrom('text/csv', 'text/csv; charset=utf-8', 'text/csv; charset=latin1', 'TEXT/CSV'))
  .map(([lines, newline, type]) => ({ body: { kind: 'text', text: lines.join(newline) }, headers: { 'Content-Type': type } }));
