import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { EngineContext } from './context';
import { csvCell } from './csvCell';
import { listRecords } from './listRecords';
import type { RecordView } from './recordView';
import { ok, type Result } from './result';

const columns: Array<keyof RecordView> = [
  'id', 'couponId', 'customerId', 'inboxId', 'channel', 'status', 'code', 'sentAt', 'openedAt',
  'redeemedAt', 'verifiedAt', 'expiresAt', 'revokedAt', 'flowRunId', 'nodeId',
];

/**
 * The same records as `listRecords`, as a CSV stream read page by page (never all in memory).
 * Tokens are left out: they are bearer links to the customers' pages. Cells are escaped against
 * formula injection.
 */
export function exportRecordsCsv(ctx: EngineContext, orgId: string, couponId: string, query: Record<string, unknown>): Result<Readable> {
  const first = listRecords(ctx, orgId, couponId, { ...query, cursor: undefined, limit: 1000 });
  if (!first.ok) return first;
  const firstPage = first.value;
  async function* rows() {
    let page = firstPage;
    for (;;) {
      for (const item of page.items) yield columns.map((c) => csvCell(item[c]));
      if (!page.nextCursor) return;
      const next = listRecords(ctx, orgId, couponId, { ...query, cursor: page.nextCursor, limit: 1000 });
      if (!next.ok) return;
      page = next.value;
    }
  }
  return ok(Readable.from(rows()).pipe(stringify({ header: true, columns })));
}
