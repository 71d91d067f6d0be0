import type { Database } from '@couponflow/db';
import { flushOutbox } from './flushOutbox';
import type { RuntimeQueues } from './runtimeQueues';

/**
 * Hands pending outbox rows to BullMQ, one pass at a time, so a slow or absent Redis never piles up
 * concurrent flushes. A call made while a pass runs is answered by the next pass (which starts when
 * that one ends and sees everything committed before it), shared by every call made meanwhile.
 * Each caller waits for at most two passes: waiting for the flushing to fall quiet instead held
 * every caller for as long as work kept arriving, and under steady load the contact event workers
 * (which wait for their step's rows) moved in lockstep with the flushes.
 */
export function outboxFlusher(db: Database, queues: RuntimeQueues, onError: (error: Error) => void) {
  let current: Promise<void> | null = null;
  let next: Promise<void> | null = null;
  const start = (): Promise<void> => {
    const pass: Promise<void> = flushOutbox(db, queues)
      .then(
        () => undefined,
        (error: Error) => onError(error),
      )
      .finally(() => {
        if (current === pass) current = null;
      });
    current = pass;
    return pass;
  };
  return {
    flush(): Promise<void> {
      if (next) return next;
      if (!current) return start();
      next = current.then(() => {
        next = null;
        return start();
      });
      return next;
    },
  };
}
