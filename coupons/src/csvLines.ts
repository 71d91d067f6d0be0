import { parse } from 'csv-parse';

export type ParseOutcome = 'ok' | 'too_large' | { error: string };

/**
 * Streams `body` through csv-parse, one value per line (extra columns join back with commas),
 * counting bytes; stops at the first byte past `maxBytes`. Nothing is kept here: `onLine` decides.
 */
export async function parseCsvLines(
  body: AsyncIterable<Buffer | string>,
  maxBytes: number,
  onLine: (line: number, value: string, first: boolean) => void,
): Promise<ParseOutcome> {
  const parser = parse({ bom: true, trim: true, skip_empty_lines: true, relax_column_count: true, relax_quotes: true, info: true });
  let bytes = 0;
  let first = true;
  const feeding = (async () => {
    for await (const chunk of body) {
      bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
      if (bytes > maxBytes) {
        parser.destroy();
        return 'too_large' as const;
      }
      if (!parser.write(chunk)) await new Promise((resolve) => parser.once('drain', resolve));
    }
    parser.end();
    return 'ok' as const;
  })();
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const [value = '', ...rest] = record;
      if (rest.some((field) => field !== '')) onLine(info.lines, record.join(','), first);
      else onLine(info.lines, value, first);
      first = false;
    }
  } catch (error) {
    if ((await feeding.catch(() => 'ok')) === 'too_large') return 'too_large';
    return { error: (error as Error).message };
  }
  return feeding;
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
