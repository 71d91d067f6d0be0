import { eq } from 'drizzle-orm';
import { createAdapter, type AdapterEnvironment, type ChannelAdapter } from '@couponflow/channels';
import { bind, prepared, type CredentialCipher, type Database, type inboxes } from '@couponflow/db';
import type { InboxChanges } from './inboxChanges';

export interface InboxChannel {
  inbox: { id: string; orgId: string; channel: string; rateLimitPerSecond: number };
  /** undefined when the inbox has no working channel; `problem` says why */
  adapter?: ChannelAdapter;
  problem?: string;
}

export interface ChannelRegistryOptions {
  /** where API changes to inboxes are announced; without it the row is read on every call */
  changes?: InboxChanges;
  /**
   * A kept channel is checked against its row at least this often even when no change was
   * announced: the bound on staleness should an announcement go unheard (Redis failing just after
   * the change committed, a process too stuck to confirm it, or the row edited by hand).
   */
  recheckEveryMs?: number;
  now?: () => number;
}

type InboxRow = typeof inboxes.$inferSelect;

interface Kept {
  /** `changes.generation()` when the row read began */
  generation: number | undefined;
  readAt: number;
  /** everything of the row the channel is built from */
  rowKey: string;
  channel: InboxChannel;
}

/**
 * Each inbox's adapter, built from its row (credentials opened with the instance key) and kept
 * while no inbox change has been announced since its row was read (`inboxChanges`): a get is then
 * a map look-up, where the row is read from pages a busy writer (on SQLite, another process) has
 * just invalidated. Every process confirms an announcement before the API answers the change, so
 * an edit or deletion holds everywhere from the moment its answer is sent. A process not
 * subscribed to the announcements (starting, or its Redis connection lost) reads the row every
 * time. Unknown inboxes are never kept.
 */
export function channelRegistry(db: Database, cipher: CredentialCipher, env: AdapterEnvironment, { changes, recheckEveryMs = 30_000, now = Date.now }: ChannelRegistryOptions = {}) {
  const kept = new Map<string, Kept>();
  return {
    async get(inboxId: string): Promise<InboxChannel | undefined> {
      const known = kept.get(inboxId);
      if (known && changes?.isLive() && known.generation === changes.generation() && now() - known.readAt < recheckEveryMs) return known.channel;
      const generation = changes?.generation();
      const readAt = now();
      const row = await prepared(db, 'inboxChannel', (d, { inboxes }) => d.select().from(inboxes).where(eq(inboxes.id, bind('id')))).get({ id: inboxId });
      if (!row) {
        kept.delete(inboxId);
        return undefined;
      }
      const rowKey = keyOf(row);
      // Built anew only when the row differs: announcements about other inboxes cost a read, not a key derivation.
      const channel = known?.rowKey === rowKey ? known.channel : build(row, cipher, env);
      kept.set(inboxId, { generation, readAt, rowKey, channel });
      return channel;
    },
    /** Announces a committed change of the inbox (edit, new credentials, deletion) to every process, this one included. */
    async changed(inboxId: string): Promise<void> {
      kept.delete(inboxId);
      await changes?.announce(inboxId);
    },
  };
}

/** Sealed credentials differ at every seal, so a new secret always makes a new key, even within one millisecond. */
function keyOf(row: InboxRow): string {
  return JSON.stringify([row.orgId, row.channel, row.credentials, row.apiBaseUrl, row.rateLimitPerSecond, row.offerTemplate, row.updatedAt?.getTime() ?? null]);
}

function build(row: InboxRow, cipher: CredentialCipher, env: AdapterEnvironment): InboxChannel {
  const inbox = { id: row.id, orgId: row.orgId, channel: row.channel, rateLimitPerSecond: row.rateLimitPerSecond };
  try {
    const adapter = createAdapter({ id: row.id, channel: row.channel, credentials: cipher.open(row.credentials), apiBaseUrl: row.apiBaseUrl, offerTemplate: row.offerTemplate }, env);
    return adapter ? { inbox, adapter } : { inbox, problem: `no adapter for ${row.channel}` };
  } catch (error) {
    return { inbox, problem: `credentials unreadable: ${(error as Error).message}` };
  }
}

export type ChannelRegistry = ReturnType<typeof channelRegistry>;
