import { finished } from 'node:stream/promises';
import { Parser } from 'csv-parse';

export type ParseOutcome = 'ok' | 'too_large' | { error: string };

type OnLine = (line: number, value: string, first: boolean) => void;

/**
 * csv-parse handing each record over as it is parsed, with its line number read from the parser's
 * live `info` (csv-parse's own `info: true` copies every counter into a new object per record,
 * which took longer than the parsing itself on a 10 MB file). Nothing goes to the readable side.
 */
class LineParser extends Parser {
  private first = true;
  constructor(private readonly onLine: OnLine) {
    super({ bom: true, trim: true, skip_empty_lines: true, relax_column_count: true, relax_quotes: true });
  }

  override push(record: unknown): boolean {
    if (record === null) return super.push(null);
    const fields = record as string[];
    const value = fields.length === 1 || !fields.some((field, i) => i > 0 && field !== '') ? (fields[0] ?? '') : fields.join(',');
    this.onLine(this.info.lines, value, this.first);
    this.first = false;
    return true;
  }
}

/**
 * Streams `body` through csv-parse, one value per line (extra columns join back with commas),
 * counting bytes; stops at the first byte past `maxBytes`. Nothing is kept here: `onLine` decides.
 */
export async function parseCsvLines(body: AsyncIterable<Buffer | string>, maxBytes: number, onLine: OnLine): Promise<ParseOutcome> {
  const parser = new LineParser(onLine);
  parser.resume();
  let failure: Error | undefined;
  parser.on('error', (error: Error) => (failure ??= error));
  const written = () => new Promise<void>((resolve) => {
    const done = () => {
      parser.off('drain', done).off('error', done);
      resolve();
    };
    parser.on('drain', done).on('error', done);
  });
  let bytes = 0;
  for await (const chunk of body) {
    bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    if (bytes > maxBytes) {
      parser.destroy();
      return 'too_large';
    }
    if (failure) break;
    if (!parser.write(chunk)) await written();
  }
  if (!failure) {
    parser.end();
    await finished(parser).catch((error: Error) => (failure ??= error));
  }
  return failure ? { error: failure.message } : 'ok';
}

/** The report lists at most this many refused lines; the counts have them all. */
export const maxReportedRejections = 1000;

export interface Rejection<R extends string> {
  line: number;
  value: string;
  reason: R;
}

/**
 * Refused lines of an upload, kept bounded: the first `maxReportedRejections` by line number plus a
 * count per reason, whatever the file holds (a 10 MB file of bad lines must not fill the memory).
 * It holds at most twice the limit between trims.
 */
export class RejectionLog<R extends string> {
  private kept: Array<Rejection<R>> = [];
  readonly counts = {} as Record<R, number>;
  total = 0;

  add(line: number, value: string, reason: R): void {
    this.total++;
    this.counts[reason] = (this.counts[reason] ?? 0) + 1;
    this.kept.push({ line, value: value.slice(0, 100), reason });
    if (this.kept.length >= 2 * maxReportedRejections) this.trim();
  }

  /** how many rejections are held in memory right now */
  get held(): number {
    return this.kept.length;
  }

  report(): Array<Rejection<R>> {
    this.trim();
    return this.kept;
  }

  private trim(): void {
    this.kept.sort((a, b) => a.line - b.line);
    this.kept.length = Math.min(this.kept.length, maxReportedRejections);
  }
}
