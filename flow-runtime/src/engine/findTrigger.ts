import { and, eq, isNotNull } from 'drizzle-orm';
import { bind, prepared, type Database } from '@couponflow/db';
import { compiledFlow, type CompiledFlow } from '../flows/compiledFlow';

/**
 * The published flows a message may start (SPEC §3.2), from one read of the organisation's published
 * flows: `keyword`, the flow with a keyword trigger equal to the whole message (ignoring case);
 * `fallback`, the first flow with a default trigger (for a contact with no active run only).
 */
export async function findTriggers(db: Database, orgId: string, text: string): Promise<{ keyword?: CompiledFlow; fallback?: CompiledFlow }> {
  const published = await publishedFlows(db, orgId);
  const message = text.trim().toLowerCase();
  let fallback: CompiledFlow | undefined;
  for (const { id, version } of published) {
    const flow = await compiledFlow(db, id, version);
    const start = flow.start;
    if (start.type !== 'start') continue;
    const trigger = start.data.trigger;
    if (trigger.type === 'keyword' && trigger.keywords.some((k) => k.trim().toLowerCase() === message)) return { keyword: flow };
    if (trigger.type === 'default') fallback ??= flow;
  }
  return fallback ? { fallback } : {};
}

/** The organisation's published flows and their current versions, by id. */
export async function publishedFlows(db: Database, orgId: string): Promise<Array<{ id: string; version: number }>> {
  const rows = await prepared(db, 'publishedFlows', (d, { flows }) =>
    d
      .select({ id: flows.id, version: flows.publishedVersion })
      .from(flows)
      .where(and(eq(flows.orgId, bind('orgId')), isNotNull(flows.publishedVersion)))
      .orderBy(flows.id),
  ).all({ orgId });
  return rows as Array<{ id: string; version: number }>;
}
