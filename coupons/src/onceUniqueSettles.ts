import { isUniqueViolation } from '@couponflow/db';

/**
 * Runs `work` (a whole write transaction) again when a unique index refused its write: two
 * requests checked at once that an externalId or common code was free, both wrote, the index let
 * one in. Run again, the loser's own check sees the winner's row and answers the refusal.
 */
export async function onceUniqueSettles<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= 3 || !isUniqueViolation(error)) throw error;
    }
  }
}
