import { and, eq, isNotNull, ne } from 'drizzle-orm';
import type { Database } from '@couponflow/db';
import { compiledFlow } from './compiledFlow';

/**
 * The keywords (lower-cased) that the organisation's other published flows answer, and which flow
 * answers each: publishing a flow that claims one of them is refused.
 */
export async function publishedKeywords(db: Database, orgId: string, exceptFlowId: string): Promise<(keyword: string) => { flowId: string; name: string } | undefined> {
  const { flows } = db.tables;
  const owners = new Map<string, { flowId: string; name: string }>();
  const published = await db
    .select({ id: flows.id, name: flows.name, version: flows.publishedVersion })
    .from(flows)
    .where(and(eq(flows.orgId, orgId), isNotNull(flows.publishedVersion), ne(flows.id, exceptFlowId)))
    .orderBy(flows.id);
  for (const { id, name, version } of published) {
    const start = (await compiledFlow(db, id, version!)).start;
    if (start.type !== 'start' || start.data.trigger.type !== 'keyword') continue;
    for (const keyword of start.data.trigger.keywords) {
      const key = keyword.trim().toLowerCase();
      if (!owners.has(key)) owners.set(key, { flowId: id, name });
    }
  }
  return (keyword) => owners.get(keyword);
}
