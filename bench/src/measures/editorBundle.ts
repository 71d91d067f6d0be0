import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildEditor, repoRoot } from '../editorApp';
import type { Measure } from '../measure';

/**
 * SPEC §7: the editor's JavaScript ≤ 400 KB gzipped — every chunk of the production build, including
 * the lazily loaded canvas and camera scanner; the figure for the first screen is in the details.
 */
export const measure: Measure = {
  name: 'editor: JavaScript gzipped (all chunks)',
  unit: 'KB',
  target: { atMost: 400 },
  async run() {
    buildEditor();
    const dist = join(repoRoot, 'flow-editor', 'dist');
    const html = readFileSync(join(dist, 'index.html'), 'utf8');
    const assets = join(dist, 'assets');
    let total = 0;
    let firstScreen = 0;
    const details: Record<string, number> = {};
    for (const file of readdirSync(assets).filter((f) => f.endsWith('.js'))) {
      const kb = gzipSync(readFileSync(join(assets, file)), { level: 9 }).length / 1024;
      total += kb;
      if (html.includes(file)) firstScreen += kb;
      details[`${file.replace(/-[\w-]{8}\.js$/, '')}Kb`] = Math.round(kb);
    }
    return { figure: Math.round(total), details: { firstScreenKb: Math.round(firstScreen), ...details } };
  },
};
