/**
 * How far a broadcast may run ahead of its inbox's delivery: past this many messages queued and not
 * yet sent, it waits before starting its next group. Without it a large broadcast started every run
 * first and delivered its offers last (the workers of a process share one event loop), and a slow
 * platform collected an unbounded backlog.
 */
export const maxUndelivered = 1000;

/**
 * A chunk's pacing, awaited before each of its groups: it waits while more than `max` of the
 * inbox's messages are unsent and that number keeps going down. A number that stops going down for
 * `stalledAfterMs` (a platform that stopped answering, or a count left behind by jobs removed by
 * hand) stops holding this chunk back: pacing may slow a broadcast, never stall it. A count that
 * cannot be read (Redis away) does not hold it either.
 */
export function deliveryPace(pending: () => Promise<number>, { max = maxUndelivered, stalledAfterMs = 1000, pollMs = 20 } = {}): () => Promise<void> {
  let holding = true;
  const read = () => pending().catch(() => 0);
  return async () => {
    if (!holding) return;
    let lowest = await read();
    let droppedAt = Date.now();
    while (lowest > max) {
      await new Promise((resume) => setTimeout(resume, pollMs));
      const now = await read();
      if (now < lowest) {
        lowest = now;
        droppedAt = Date.now();
      } else if (Date.now() - droppedAt >= stalledAfterMs) {
        holding = false;
        return;
      }
    }
  };
}
