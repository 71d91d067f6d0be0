/**
 * Whether `error` is a transaction that lost a race and may simply be run again: a deadlock or a
 * serialization failure (PostgreSQL). A nested transaction (savepoint) that catches errors itself
 * rethrows these, so the outermost writeTransaction retries the whole.
 */
export function isRetryableConflict(error: unknown): boolean {
  const e = error as { code?: string; cause?: { code?: string } } | null;
  const code = e?.code ?? e?.cause?.code;
  return code === '40P01' || code === '40001';
}
