import type { Readable } from 'node:stream';
import type { EngineContext } from './context';
import { listRecords } from './listRecords';
import type { RecordView } from './recordView';
import { pagesAsCsv } from './pagesAsCsv';
import type { Result } from './result';

const columns: Array<keyof RecordView> = [
  'id', 'couponId', 'customerId', 'inboxId', 'channel', 'status', 'code', 'sentAt', 'openedAt',
  'redeemedAt', 'verifiedAt', 'expiresAt', 'revokedAt', 'flowRunId', 'nodeId',
];

/**
 * The same records as `listRecords`, as a CSV stream read page by page by keyset (never all in
 * memory, on either database).
 * Tokens are left out: they are bearer links to the customers' pages. Cells are escaped against
 * formula injection.
 */
export function exportRecordsCsv(ctx: EngineContext, orgId: string, couponId: string, query: Record<string, unknown>): Promise<Result<Readable>> {
  return pagesAsCsv(columns, (cursor) => listRecords(ctx, orgId, couponId, { ...query, cursor, limit: 1000 }));
}
