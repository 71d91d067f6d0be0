import { gzipSync } from 'node:zlib';

/** A body as the fuzzer describes it; big ones are only built when sent. */
export type WireBody =
  | { kind: 'json'; value: unknown; deep?: { depth: number; shape: 'array' | 'object' } }
  | { kind: 'text'; text: string }
  | { kind: 'bytes'; hex: string }
  | { kind: 'huge'; bytes: number; shape: 'string' | 'array' | 'csv' }
  | { kind: 'gzip'; text: string };

/** Where a `deep` body puts its nesting. */
export const deepMarker = '\u0000deep\u0000';

export function nestedJson(depth: number, shape: 'array' | 'object'): string {
  return shape === 'array' ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

export function materialise(body: WireBody): Buffer {
  switch (body.kind) {
    case 'json': {
      const text = JSON.stringify(body.value) ?? '';
      return Buffer.from(body.deep ? text.replace(JSON.stringify(deepMarker), nestedJson(body.deep.depth, body.deep.shape)) : text);
    }
    case 'text':
      return Buffer.from(body.text);
    case 'bytes':
      return Buffer.from(body.hex, 'hex');
    case 'gzip':
      return gzipSync(body.text);
    case 'huge':
      // Long lines: over every size limit, and refused at its first line where no size limit applies.
      if (body.shape === 'csv') return Buffer.from(`${'C'.repeat(4999)}\n`.repeat(Math.ceil(body.bytes / 5000)));
      if (body.shape === 'array') return Buffer.from(`{"customerIds":[${'1,'.repeat(Math.ceil(body.bytes / 2))}1]}`);
      return Buffer.from(`{"name":"${'x'.repeat(body.bytes)}"}`);
  }
}

/** A short printable description of a body, for a failure report. */
export function describeBody(body: WireBody | undefined): string {
  if (!body) return '(none)';
  if (body.kind === 'huge') return `${body.bytes} bytes of ${body.shape}`;
  if (body.kind === 'json' && body.deep) return `JSON with ${body.deep.depth} nested ${body.deep.shape}s in ${JSON.stringify(body.value).slice(0, 200)}`;
  const text = body.kind === 'json' ? (JSON.stringify(body.value) ?? '') : body.kind === 'bytes' ? `hex ${body.hex}` : body.text;
  return `${body.kind}: ${text.slice(0, 300)}${text.length > 300 ? `… (${text.length} chars)` : ''}`;
}
