import { newToken } from '@couponflow/db';

/**
 * A record's redeem-page token: its 192 random bits come after the record's creation order (the
 * time and sequence that begin its id), so a new token lands at the end of the token index. With
 * random tokens alone every offer of a group commit dirtied a page of its own there.
 */
export function newRecordToken(recordId: string): string {
  const start = recordId.indexOf('_') + 1;
  return recordId.slice(start, start + 14) + newToken();
}
