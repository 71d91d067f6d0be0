import { readFileSync } from 'node:fs';

/**
 * `tsx bench/src/cpuProfileSummary.ts <file.cpuprofile> [top]`: where a V8 CPU profile's time went,
 * as self time per function and per package (node_modules/<pkg>, workspace folder, or node internals).
 */
interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}

const [file, top = '25'] = process.argv.slice(2);
if (!file) throw new Error('usage: cpuProfileSummary <file.cpuprofile> [top]');
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const selfUs = new Map<number, number>();
profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const totalUs = [...selfUs.values()].reduce((a, b) => a + b, 0);

function area(url: string, name: string): string {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  const workspace = /\/work\/[^/]+\/([^/]+)\/src\//.exec(url) ?? /\/([^/]+)\/src\/[^/]+$/.exec(url);
  if (workspace) return `${workspace[1]}/`;
  if (url.startsWith('node:')) return 'node internals';
  return url ? url : `(${name || 'native'})`;
}

const sum = (key: (n: Node) => string) => {
  const totals = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const node = byId.get(id)!;
    const k = key(node);
    totals.set(k, (totals.get(k) ?? 0) + us);
  }
  return [...totals].sort((a, b) => b[1] - a[1]).slice(0, Number(top));
};
const line = ([k, us]: [string, number]) => `${((100 * us) / totalUs).toFixed(1).padStart(5)}% ${(us / 1000).toFixed(0).padStart(7)} ms  ${k}`;

console.log(`total sampled ${(totalUs / 1000).toFixed(0)} ms\n\nself time by package:`);
console.log(sum((n) => area(n.callFrame.url, n.callFrame.functionName)).map(line).join('\n'));
console.log('\nself time by function:');
const fn = (n: Node) => `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.replace(/^.*\/(node_modules|work\/main)\//, '')}:${n.callFrame.lineNumber + 1}`;
console.log(sum(fn).map(line).join('\n'));

// Inclusive time of this repo's own functions (each sample counted once per function on its stack):
// answers "how much of the run is under heldRecord / recordEvent / …".
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const inclusive = new Map<string, number>();
for (const [id, us] of selfUs) {
  const seen = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    const node = byId.get(at)!;
    if (node.callFrame.url.includes('node_modules') || !/\/src\//.test(node.callFrame.url)) continue;
    const k = fn(node);
    if (!seen.has(k)) inclusive.set(k, (inclusive.get(k) ?? 0) + us);
    seen.add(k);
  }
}
console.log('\ntotal (inclusive) time by workspace function:');
console.log([...inclusive].sort((a, b) => b[1] - a[1]).slice(0, Number(top)).map(line).join('\n'));
