import { eq } from 'drizzle-orm';
import { createAdapter, type AdapterEnvironment, type ChannelAdapter } from '@couponflow/channels';
import { bind, prepared, type CredentialCipher, type Database, type inboxes } from '@couponflow/db';
import type { InboxVersions } from './inboxVersions';

export interface InboxChannel {
  inbox: { id: string; orgId: string; channel: string; rateLimitPerSecond: number };
  /** undefined when the inbox has no working channel; `problem` says why */
  adapter?: ChannelAdapter;
  problem?: string;
}

export interface ChannelRegistryOptions {
  /** where API changes to an inbox are announced; without it the row is read on every call */
  versions?: InboxVersions;
  /**
   * A kept channel is checked against its row at least this often even when no change was
   * announced: the bound on staleness should an announcement be lost (Redis failing just after
   * the change committed, or the row edited by hand).
   */
  recheckEveryMs?: number;
  now?: () => number;
}

type InboxRow = typeof inboxes.$inferSelect;

interface Kept {
  /** the inbox's announced version when the row was read; undefined when Redis did not answer */
  version: string | null | undefined;
  readAt: number;
  /** everything of the row the channel is built from */
  rowKey: string;
  channel: InboxChannel;
}

/**
 * Each inbox's adapter, built from its row (credentials opened with the instance key) and kept
 * while the inbox's announced version (`inboxVersions`, one Redis GET) is the one it was read
 * under. The version is read before the row, and every change is announced after it committed,
 * so a kept channel whose version still stands was read after the last announced change: an
 * edit or deletion through the API holds in every process from the moment its answer is sent.
 * Unknown inboxes are never kept (each call reads the row).
 */
export function channelRegistry(db: Database, cipher: CredentialCipher, env: AdapterEnvironment, { versions, recheckEveryMs = 30_000, now = Date.now }: ChannelRegistryOptions = {}) {
  const kept = new Map<string, Kept>();
  const versionOf = async (inboxId: string) => {
    if (!versions) return undefined;
    try {
      return await versions.current(inboxId);
    } catch {
      return undefined; // Redis away: read the row, as if nothing were kept
    }
  };
  return {
    async get(inboxId: string): Promise<InboxChannel | undefined> {
      const version = await versionOf(inboxId);
      const known = kept.get(inboxId);
      if (known && version !== undefined && known.version === version && now() - known.readAt < recheckEveryMs) return known.channel;
      const readAt = now();
      const row = await prepared(db, 'inboxChannel', (d, { inboxes }) => d.select().from(inboxes).where(eq(inboxes.id, bind('id')))).get({ id: inboxId });
      if (!row) {
        kept.delete(inboxId);
        return undefined;
      }
      const rowKey = keyOf(row);
      const channel = known?.rowKey === rowKey ? known.channel : build(row, cipher, env);
      kept.set(inboxId, { version, readAt, rowKey, channel });
      return channel;
    },
    /** Announces a committed change of the inbox (edit, new credentials, deletion) to every process. */
    async changed(inboxId: string): Promise<void> {
      kept.delete(inboxId);
      await versions?.changed(inboxId);
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
