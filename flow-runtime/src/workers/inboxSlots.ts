/**
 * How many of a worker's concurrent sends one inbox may hold. A slow or failing platform then ties
 * up its own share only, and every other inbox keeps going at full speed.
 */
export function inboxSlots(perInbox: number) {
  const busy = new Map<string, number>();
  return {
    /** A release function, or null when the inbox already holds all its slots here. */
    take(inboxId: string): (() => void) | null {
      const held = busy.get(inboxId) ?? 0;
      if (held >= perInbox) return null;
      busy.set(inboxId, held + 1);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        const left = (busy.get(inboxId) ?? 1) - 1;
        if (left > 0) busy.set(inboxId, left);
        else busy.delete(inboxId);
      };
    },
  };
}
