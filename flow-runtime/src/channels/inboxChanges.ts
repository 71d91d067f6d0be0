import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

export interface InboxChanges {
  /** whether every change announced from now on reaches this process (subscribed, nothing missed since) */
  isLive(): boolean;
  /** moves on at every change heard and every loss or gain of the subscription: what was read before is not to be used */
  generation(): number;
  /**
   * Tells every process of the instance (any host) that the inbox changed; call once the change
   * committed. Resolves once each process subscribed when it was sent has confirmed it has let go
   * of what it read before; throws when some did not confirm within the time allowed.
   */
  announce(inboxId: string): Promise<void>;
}

/**
 * Inbox changes over Redis pub/sub, confirmed by every listener before `announce` resolves: the API
 * answers an edit or deletion only once no process can still answer with the inbox as it was.
 * A process that is not subscribed (starting, or its connection lost) hears nothing, so it is not
 * live: it reads the row every time until it is subscribed again.
 */
export function inboxChanges(subscriber: Redis, publisher: Redis, prefix: string, { confirmWithinMs = 2000 } = {}): InboxChanges {
  const changes = `${prefix}:inbox-changes`;
  const confirmations = `${prefix}:inbox-changes:confirmed`;
  let live = false;
  let generation = 0;
  const awaiting = new Map<string, () => void>();

  const subscribe = async () => {
    try {
      await subscriber.subscribe(changes, confirmations);
      generation++;
      live = true;
    } catch {
      lost();
    }
  };
  const lost = () => {
    live = false;
    generation++;
  };
  subscriber.on('message', (channel: string, message: string) => {
    if (channel === changes) {
      generation++;
      const token = message.slice(message.indexOf(' ') + 1);
      // Unconfirmed, the announcer gives up waiting and says so; nothing else depends on it.
      publisher.publish(confirmations, token).catch(() => {});
    } else if (channel === confirmations) awaiting.get(message)?.();
  });
  subscriber.on('close', lost);
  subscriber.on('ready', () => void subscribe());
  void subscribe();

  return {
    isLive: () => live,
    generation: () => generation,
    async announce(inboxId) {
      const token = randomUUID();
      let confirmed = 0;
      let expected = Number.POSITIVE_INFINITY;
      let allConfirmed = () => {};
      const all = new Promise<void>((resolve) => (allConfirmed = resolve));
      awaiting.set(token, () => ++confirmed >= expected && allConfirmed());
      let timer: NodeJS.Timeout | undefined;
      try {
        expected = await publisher.publish(changes, `${inboxId} ${token}`);
        if (confirmed >= expected) return;
        const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), confirmWithinMs)));
        if (await Promise.race([all.then(() => false), timedOut])) throw new Error(`${confirmed} of ${expected} processes confirmed the change of inbox ${inboxId}`);
      } finally {
        clearTimeout(timer);
        awaiting.delete(token);
      }
    },
  };
}
