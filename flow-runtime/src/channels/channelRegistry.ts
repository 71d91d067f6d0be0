import { eq } from 'drizzle-orm';
import { createAdapter, type AdapterEnvironment, type ChannelAdapter } from '@couponflow/channels';
import { bind, prepared, type CredentialCipher, type Database } from '@couponflow/db';

export interface InboxChannel {
  inbox: { id: string; orgId: string; channel: string; rateLimitPerSecond: number };
  /** undefined when the inbox has no working channel; `problem` says why */
  adapter?: ChannelAdapter;
  problem?: string;
}

/**
 * Builds each inbox's adapter from its row (credentials opened with the instance key) and keeps it
 * until the inbox changes. The row is read on every call, so a deleted or edited inbox is seen at once.
 */
export function channelRegistry(db: Database, cipher: CredentialCipher, env: AdapterEnvironment) {
  const cache = new Map<string, { version: number; channel: InboxChannel }>();
  return {
    async get(inboxId: string): Promise<InboxChannel | undefined> {
      const row = await prepared(db, 'inboxChannel', (d, { inboxes }) => d.select().from(inboxes).where(eq(inboxes.id, bind('id')))).get({ id: inboxId });
      if (!row) {
        cache.delete(inboxId);
        return undefined;
      }
      const version = row.updatedAt?.getTime() ?? row.createdAt.getTime();
      const cached = cache.get(inboxId);
      if (cached?.version === version) return cached.channel;
      const inbox = { id: row.id, orgId: row.orgId, channel: row.channel, rateLimitPerSecond: row.rateLimitPerSecond };
      let channel: InboxChannel;
      try {
        const adapter = createAdapter({ id: row.id, channel: row.channel, credentials: cipher.open(row.credentials), apiBaseUrl: row.apiBaseUrl, offerTemplate: row.offerTemplate }, env);
        channel = adapter ? { inbox, adapter } : { inbox, problem: `no adapter for ${row.channel}` };
      } catch (error) {
        channel = { inbox, problem: `credentials unreadable: ${(error as Error).message}` };
      }
      cache.set(inboxId, { version, channel });
      return channel;
    },
  };
}

export type ChannelRegistry = ReturnType<typeof channelRegistry>;
