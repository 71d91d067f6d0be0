import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/** The editor bundles these definitions for the browser: they may import zod and each other, nothing else. */
describe('block definitions', () => {
  it('import only zod and their own files', () => {
    const here = import.meta.dirname;
    const sources = readdirSync(here, { recursive: true, encoding: 'utf8' }).filter(
      (file) => file.endsWith('.ts') && !file.endsWith('.test.ts') && !file.startsWith('executors'),
    );
    const foreign = sources.flatMap((file) =>
      [...readFileSync(join(here, file), 'utf8').matchAll(/\bfrom\s+'([^']+)'/g)]
        .map((m) => m[1] ?? '')
        .filter((spec) => spec !== 'zod' && !spec.startsWith('.'))
        .map((spec) => `${relative(here, join(here, file))} imports ${spec}`),
    );
    expect(sources.length).toBeGreaterThan(10);
    expect(foreign).toEqual([]);
  });
});
