import { and, eq, isNotNull } from 'drizzle-orm';
import { bind, prepared, type Database } from '@couponflow/db';
import { compiledFlow, type CompiledFlow } from '../flows/compiledFlow';

/**
 * The published flow a message starts (SPEC §3.2): a keyword trigger equal to the whole message
 * (ignoring case), else — only for a contact with no active run — a default trigger.
 */
export async function findTrigger(db: Database, orgId: string, text: string, { allowDefault }: { allowDefault: boolean }): Promise<CompiledFlow | undefined> {
  const published = await prepared(db, 'publishedFlows', (d, { flows }) =>
    d
      .select({ id: flows.id, version: flows.publishedVersion })
      .from(flows)
      .where(and(eq(flows.orgId, bind('orgId')), isNotNull(flows.publishedVersion)))
      .orderBy(flows.id),
  ).all({ orgId });
  const message = text.trim().toLowerCase();
  let fallback: CompiledFlow | undefined;
  for (const { id, version } of published) {
    const flow = await compiledFlow(db, id, version!);
    const start = flow.start;
    if (start.type !== 'start') continue;
    const trigger = start.data.trigger;
    if (trigger.type === 'keyword' && trigger.keywords.some((k) => k.trim().toLowerCase() === message)) return flow;
    if (trigger.type === 'default' && allowDefault) fallback ??= flow;
  }
  return fallback;
}
