/**
 * A cell that a spreadsheet would read as a formula (`=`, `+`, `-`, `@`, tab, CR first) gets a
 * leading apostrophe (OWASP's advice against CSV injection): customer ids and codes come from
 * outside, and an admin opening the export must not run them.
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

// Either a formula's first character or a character that needs quoting: most cells have neither.
const special = /^[=+\-@\t\r]|[",\n\r]/;

/**
 * One CSV field, written as csv-stringify writes it (quoted when it holds a comma, a quote or a
 * line break; quotes doubled), after the formula guard of `csvCell`. Cells with nothing special
 * (nearly all) are answered as they are after a single regular-expression test.
 */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'string' ? value : String(value);
  if (!special.test(text)) return text;
  const cell = csvCell(text);
  return /[",\n\r]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
}

/** A CSV record: fields joined by commas, ended by a newline. */
export function csvRecord(values: readonly unknown[]): string {
  let line = csvField(values[0]);
  for (let i = 1; i < values.length; i++) line += ',' + csvField(values[i]);
  return line + '\n';
}
