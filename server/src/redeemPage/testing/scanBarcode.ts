import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';

/** The inline barcode SVG of a rendered page, as the customer's browser would draw it. */
export function barcodeSvgOf(html: string): string {
  const svg = /<svg[^>]*class="barcode [^"]*"[^>]*>[\s\S]*?<\/svg>/.exec(html)?.[0];
  if (!svg) throw new Error('the page shows no barcode');
  return svg;
}

/** Rasterizes the SVG to PNG and reads it with the real decoder, zbarimg (Debian zbar-tools). */
export function scanBarcode(svg: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'couponflow-scan-'));
  try {
    const file = join(dir, 'code.png');
    writeFileSync(file, new Resvg(svg, { fitTo: { mode: 'zoom', value: 2 }, background: '#ffffff' }).render().asPng());
    return execFileSync('zbarimg', ['--raw', '-q', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).replace(/\n$/, '');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
