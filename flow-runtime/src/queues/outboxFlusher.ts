import type { Database } from '@couponflow/db';
import { flushOutbox } from './flushOutbox';
import type { RuntimeQueues } from './runtimeQueues';

/**
 * Hands pending outbox rows to BullMQ. Calls that arrive while a pass runs share it (and ask for
 * one more pass), so a slow or absent Redis never piles up concurrent flushes.
 */
export function outboxFlusher(db: Database, queues: RuntimeQueues, onError: (error: Error) => void) {
  let running: Promise<void> | null = null;
  let again = false;
  const drain = async () => {
    do {
      again = false;
      await flushOutbox(db, queues);
    } while (again);
  };
  return {
    flush(): Promise<void> {
      if (running) {
        again = true;
        return running;
      }
      running = drain()
        .catch((error: Error) => onError(error))
        .finally(() => {
          running = null;
        });
      return running;
    },
  };
}
