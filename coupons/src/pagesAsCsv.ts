import { Readable } from 'node:stream';
import { csvRecord } from './csvCell';
import type { Page } from './listCoupons';
import { ok, type Result } from './result';

/**
 * A cursor-paginated listing as a CSV stream read page by page (never all in memory), cells
 * escaped against formula injection. The first page is read at once, so a refusal (unknown coupon)
 * is answered before any byte of CSV. Each page goes out as one chunk of text: the stream pulls
 * the next page only when the reader wants more.
 */
export async function pagesAsCsv<T>(columns: Array<keyof T & string>, page: (cursor: string | undefined) => Promise<Result<Page<T>>>): Promise<Result<Readable>> {
  const first = await page(undefined);
  if (!first.ok) return first;
  const firstPage = first.value;
  async function* chunks() {
    yield csvRecord(columns);
    let current = firstPage;
    for (;;) {
      let text = '';
      for (const item of current.items) text += csvRecord(columns.map((c) => item[c]));
      if (text) yield text;
      if (!current.nextCursor) return;
      const next = await page(current.nextCursor);
      if (!next.ok) return;
      current = next.value;
    }
  }
  return ok(Readable.from(chunks(), { objectMode: false }));
}
