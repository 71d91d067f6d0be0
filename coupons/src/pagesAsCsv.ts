import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import { csvCell } from './csvCell';
import type { Page } from './listCoupons';
import { ok, type Result } from './result';

/**
 * A cursor-paginated listing as a CSV stream read page by page (never all in memory), cells
 * escaped against formula injection. The first page is read at once, so a refusal (unknown coupon)
 * is answered before any byte of CSV.
 */
export async function pagesAsCsv<T>(columns: Array<keyof T & string>, page: (cursor: string | undefined) => Promise<Result<Page<T>>>): Promise<Result<Readable>> {
  const first = await page(undefined);
  if (!first.ok) return first;
  const firstPage = first.value;
  async function* rows() {
    let current = firstPage;
    for (;;) {
      for (const item of current.items) yield columns.map((c) => csvCell(item[c]));
      if (!current.nextCursor) return;
      const next = await page(current.nextCursor);
      if (!next.ok) return;
      current = next.value;
    }
  }
  return ok(Readable.from(rows()).pipe(stringify({ header: true, columns })));
}
