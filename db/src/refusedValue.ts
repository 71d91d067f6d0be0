/**
 * SQLSTATEs with which PostgreSQL refuses a value itself (SQLite stores them as they come): a NUL
 * character in text or JSON, a number or instant out of the column's range, text that is not a
 * number. They come from what a client sent, so the API answers them as invalid input, not as
 * a failure of ours.
 */
const refusedValueCodes = new Set(['22001', '22003', '22007', '22008', '22021', '22P02', '22P05']);

/** Whether `error` is the database refusing a value it was given (see refusedValueCodes). */
export function isRefusedValue(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code ?? (error as { cause?: { code?: unknown } } | null)?.cause?.code;
  return typeof code === 'string' && refusedValueCodes.has(code);
}
