import fc from 'fast-check';
import { hostileValue } from './hostileValues';

/** Breaks a valid value in one place: a field replaced by a hostile value, a field dropped, a stray field added, or the whole of it swapped. */
export const mutation: fc.Arbitrary<(value: unknown) => unknown> = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(fc.nat(), hostileValue).map(([at, replacement]) => (value: unknown) => replaceAt(value, at, replacement)) },
  { weight: 2, arbitrary: fc.nat().map((at) => (value: unknown) => dropAt(value, at)) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.nat(), fc.constantFrom('extra', '__proto__', 'constructor', 'orgId', 'id', 'role', 'x'.repeat(2000), ''), hostileValue)
      .map(([at, key, extra]) => (value: unknown) => addAt(value, at, key, extra)),
  },
  { weight: 1, arbitrary: hostileValue.map((replacement) => () => replacement) },
  { weight: 1, arbitrary: fc.constant((value: unknown) => [value]) },
);

function pathsOf(value: unknown, prefix: Array<string | number> = [], out: Array<Array<string | number>> = []): Array<Array<string | number>> {
  out.push(prefix);
  if (value && typeof value === 'object' && out.length < 500)
    for (const [key, child] of Object.entries(value)) pathsOf(child, [...prefix, Array.isArray(value) ? Number(key) : key], out);
  return out;
}

function edit(value: unknown, at: number, change: (parent: Record<string | number, unknown>, key: string | number) => void, containersOnly = false): unknown {
  const copy = structuredClone(value);
  const paths = pathsOf(copy).filter((p) => p.length > 0);
  const candidates = containersOnly ? pathsOf(copy).filter((p) => isContainer(get(copy, p))) : paths;
  if (!candidates.length) return copy;
  const path = candidates[at % candidates.length]!;
  if (containersOnly) {
    change(get(copy, path) as Record<string | number, unknown>, '');
    return copy;
  }
  change(get(copy, path.slice(0, -1)) as Record<string | number, unknown>, path.at(-1)!);
  return copy;
}

const isContainer = (v: unknown) => Boolean(v) && typeof v === 'object';
const get = (value: unknown, path: Array<string | number>) => path.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], value);

export function replaceAt(value: unknown, at: number, replacement: unknown): unknown {
  if (!isContainer(value)) return replacement;
  return edit(value, at, (parent, key) => void (parent[key] = replacement));
}

function dropAt(value: unknown, at: number): unknown {
  return edit(value, at, (parent, key) => void (Array.isArray(parent) ? parent.splice(Number(key), 1) : delete parent[key]));
}

function addAt(value: unknown, at: number, key: string, extra: unknown): unknown {
  if (!isContainer(value)) return value;
  return edit(value, at, (container) => void (Array.isArray(container) ? container.push(extra) : Object.defineProperty(container, key, { value: extra, enumerable: true, writable: true, configurable: true })), true);
}
