import type { Redis } from 'ioredis';
import { webchatChannel } from './webchatSender';

export type Unsubscribe = () => Promise<void>;

/** One Redis subscriber per process, fanned out to every open web chat stream. */
export function webchatSubscriptions(subscriber: Redis) {
  const listeners = new Map<string, Set<(seq: number) => void>>();
  subscriber.on('message', (channel: string, seq: string) => {
    for (const listener of listeners.get(channel) ?? []) listener(Number(seq));
  });
  return {
    async subscribe(inboxId: string, contactId: string, listener: (seq: number) => void): Promise<Unsubscribe> {
      const channel = webchatChannel(inboxId, contactId);
      let set = listeners.get(channel);
      if (!set) {
        listeners.set(channel, (set = new Set()));
        await subscriber.subscribe(channel);
      }
      set.add(listener);
      return async () => {
        set.delete(listener);
        if (set.size === 0 && listeners.get(channel) === set) {
          listeners.delete(channel);
          await subscriber.unsubscribe(channel);
        }
      };
    },
  };
}
