import type { MeasureResult } from './measure';

function formatFigure(r: MeasureResult): string {
  if (r.figure === null) return 'error';
  const digits = r.unit === 's' ? 2 : 0;
  const figure = `${r.figure.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })} ${r.unit}`;
  return r.summary ? `${figure} (${r.summary})` : figure;
}

function formatFloor(r: MeasureResult): string {
  if (!r.floor) return '-';
  const digits = r.unit === 's' ? 2 : 0;
  return `${r.floor.figure.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })} ${r.unit}`;
}

/** The plain text table of SPEC §7 rows: measure | measured | target | floor | ratio | peak RSS | ok? */
export function printTable(results: MeasureResult[]): string {
  const rows = [
    ['measure', 'measured', 'target', 'floor', 'ratio', 'peak RSS', 'ok?'],
    ...results.map((r) => [
      r.name,
      formatFigure(r),
      r.target,
      formatFloor(r),
      r.ratio === undefined ? '-' : `${r.ratio.toFixed(2)}×`,
      r.peakRssMb === null ? '-' : `${r.peakRssMb} MB`,
      r.target === '' ? '-' : r.pass ? 'yes' : 'NO',
    ]),
  ];
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((row) => row[col]!.length)));
  const line = (row: string[]) => row.map((cell, col) => cell.padEnd(widths[col]!)).join(' | ');
  const out = [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.slice(1).map(line)];
  const floors = results.filter((r) => r.floor);
  if (floors.length) out.push('floors (measured in the same run):', ...floors.map((r) => `  ${r.id}: ${r.floor!.of}`));
  for (const r of results) {
    if (r.error) out.push(`  ${r.id}: ${r.error}`);
    else if (r.details) out.push(`  ${r.id}: ${Object.entries(r.details).map(([k, v]) => `${k}=${v}`).join(' ')}`);
  }
  return out.join('\n');
}
