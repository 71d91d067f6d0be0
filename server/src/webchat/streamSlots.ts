import { ApiError } from '../http/apiError';

/**
 * Open server-sent event streams are sockets held open: a cap per process and per client address
 * keeps one visitor (or many) from holding them all.
 */
export function streamSlots(maxOpen: number, maxPerClient: number) {
  let open = 0;
  const perClient = new Map<string, number>();
  return {
    /** Takes a slot or refuses with 429; the returned release is safe to call more than once. */
    take(client: string): () => void {
      const mine = perClient.get(client) ?? 0;
      if (open >= maxOpen || mine >= maxPerClient)
        throw new ApiError(429, 'too_many_streams', 'Too many open streams; close one or poll the messages endpoint', [], { 'Retry-After': '30' });
      open++;
      perClient.set(client, mine + 1);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        open--;
        const left = (perClient.get(client) ?? 1) - 1;
        if (left > 0) perClient.set(client, left);
        else perClient.delete(client);
      };
    },
    get open() {
      return open;
    },
  };
}
