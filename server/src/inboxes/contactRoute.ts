import { and, desc, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { contactTagList } from '@couponflow/coupons';
import type { ServerDeps } from '../deps';
import { ApiError } from '../http/apiError';
import { defineRoute, orgOf } from '../http/defineRoute';

export function contactRoute({ db }: ServerDeps) {
  return defineRoute({
    method: 'get',
    path: '/contacts/:customerId',
    operationId: 'getContact',
    summary: 'A contact’s tags, attributes and active run',
    tag: 'Inboxes',
    access: ['owner', 'admin', 'designer'],
    params: z.object({ customerId: z.string().min(1) }),
    query: z.object({ inboxId: z.string().min(1) }),
    responses: {
      200: {
        description: 'The contact',
        schema: z.object({
          customerId: z.string(),
          inboxId: z.string(),
          tags: z.array(z.string()),
          attributes: z.record(z.string(), z.string()),
          activeRun: z
            .object({ id: z.string(), flowId: z.string(), version: z.number().int(), status: z.string(), currentNodeId: z.string().nullable(), waitingFor: z.string().nullable() })
            .nullable(),
          latestRun: z
            .object({
              id: z.string(),
              flowId: z.string(),
              version: z.number().int(),
              status: z.string(),
              path: z.array(z.object({ nodeId: z.string(), port: z.string().nullable() })),
            })
            .nullable()
            .meta({ description: 'The most recent run, ended or not, with the nodes it went through and the port it left each by' }),
        }),
      },
      404: { description: 'not_found' },
    },
    handle: async ({ params, query, principal }) => {
      const key = { orgId: orgOf(principal).orgId, inboxId: query.inboxId, customerId: params.customerId };
      const { contacts, flowRuns } = db.tables;
      const [contact] = await db
        .select({ attributes: contacts.attributes })
        .from(contacts)
        .where(and(eq(contacts.orgId, key.orgId), eq(contacts.inboxId, key.inboxId), eq(contacts.customerId, key.customerId)))
        .limit(1);
      const [activeRun] = await db
        .select({ id: flowRuns.id, flowId: flowRuns.flowId, version: flowRuns.version, status: flowRuns.status, currentNodeId: flowRuns.currentNodeId, waitingFor: flowRuns.waitingFor })
        .from(flowRuns)
        .where(and(eq(flowRuns.orgId, key.orgId), eq(flowRuns.inboxId, key.inboxId), eq(flowRuns.customerId, key.customerId), inArray(flowRuns.status, ['running', 'waiting'])))
        .orderBy(desc(flowRuns.startedAt), desc(flowRuns.id))
        .limit(1);
      const [latestRun] = await db
        .select({ id: flowRuns.id, flowId: flowRuns.flowId, version: flowRuns.version, status: flowRuns.status, path: flowRuns.path })
        .from(flowRuns)
        .where(and(eq(flowRuns.orgId, key.orgId), eq(flowRuns.inboxId, key.inboxId), eq(flowRuns.customerId, key.customerId)))
        .orderBy(desc(flowRuns.startedAt), desc(flowRuns.id))
        .limit(1);
      if (!contact && !latestRun) throw new ApiError(404, 'not_found', 'No such contact in this inbox');
      return {
        status: 200,
        body: { customerId: key.customerId, inboxId: key.inboxId, tags: await contactTagList(db, key), attributes: contact?.attributes ?? {}, activeRun: activeRun ?? null, latestRun: latestRun ?? null },
      };
    },
  });
}
