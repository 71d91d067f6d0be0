import { z } from 'zod';
import { createFlow, deleteFlow, getFlow, listFlows, listVersions, publishFlow, restoreVersion, saveDraft } from '@couponflow/flow-runtime';
import { flowGraphSchema } from '@couponflow/nodes';
import type { ServerDeps } from '../deps';
import { ApiError } from '../http/apiError';
import { defineRoute, orgOf } from '../http/defineRoute';

const flowSchema = z
  .object({ id: z.string(), name: z.string(), draft: flowGraphSchema, publishedVersion: z.number().int().nullable(), createdAt: z.string(), updatedAt: z.string() })
  .meta({ id: 'Flow' });
const idParams = z.object({ id: z.string() });
const editors = ['owner', 'admin', 'designer'] as const;
const publishers = ['owner', 'admin'] as const;
const notFound = () => new ApiError(404, 'not_found', 'No such flow');

export function flowRoutes({ db }: ServerDeps) {
  const common = { tag: 'Flows' } as const;
  return [
    defineRoute({
      ...common,
      method: 'post',
      path: '/flows',
      operationId: 'createFlow',
      summary: 'Create a flow with an empty draft',
      access: editors,
      body: z.object({ name: z.string().trim().min(1).max(100) }),
      responses: { 201: { description: 'The flow', schema: flowSchema } },
      handle: async ({ body, principal }) => ({ status: 201, body: await createFlow(db, orgOf(principal).orgId, body.name) }),
    }),
    defineRoute({
      ...common,
      method: 'get',
      path: '/flows',
      operationId: 'listFlows',
      summary: 'List flows, newest first',
      access: editors,
      query: z.object({ cursor: z.string().optional(), limit: z.coerce.number().int().min(1).max(200).default(50) }),
      responses: { 200: { description: 'A page of flows', schema: z.object({ items: z.array(flowSchema), nextCursor: z.string().nullable() }) } },
      handle: async ({ query, principal }) => ({ status: 200, body: await listFlows(db, orgOf(principal).orgId, query) }),
    }),
    defineRoute({
      ...common,
      method: 'get',
      path: '/flows/:id',
      operationId: 'getFlow',
      summary: 'Get a flow and its draft',
      access: editors,
      params: idParams,
      responses: { 200: { description: 'The flow', schema: flowSchema }, 404: { description: 'not_found' } },
      handle: async ({ params, principal }) => ({ status: 200, body: (await getFlow(db, orgOf(principal).orgId, params.id)) ?? throwIt(notFound()) }),
    }),
    defineRoute({
      ...common,
      method: 'delete',
      path: '/flows/:id',
      operationId: 'deleteFlow',
      summary: 'Remove a flow and its versions; refused while runs are on it',
      access: publishers,
      params: idParams,
      responses: { 204: { description: 'Removed' }, 404: { description: 'not_found' }, 409: { description: 'flow_has_active_runs' } },
      handle: async ({ params, principal, res }) => {
        const result = await deleteFlow(db, orgOf(principal).orgId, params.id);
        if (result === 'not_found') throw notFound();
        if (result === 'flow_has_active_runs') throw new ApiError(409, 'flow_has_active_runs', 'Customers are still in this flow; wait until their runs end');
        res.status(204).end();
      },
    }),
    defineRoute({
      ...common,
      method: 'put',
      path: '/flows/:id/draft',
      operationId: 'saveDraft',
      summary: 'Save the draft (autosave; may be incomplete)',
      access: editors,
      params: idParams,
      body: flowGraphSchema,
      responses: { 200: { description: 'The flow', schema: flowSchema }, 404: { description: 'not_found' } },
      handle: async ({ params, body, principal }) => ({ status: 200, body: (await saveDraft(db, orgOf(principal).orgId, params.id, body)) ?? throwIt(notFound()) }),
    }),
    defineRoute({
      ...common,
      method: 'post',
      path: '/flows/:id/publish',
      operationId: 'publishFlow',
      summary: 'Validate the draft and publish it as the next immutable version',
      access: publishers,
      params: idParams,
      responses: {
        201: { description: 'The new version', schema: z.object({ version: z.number().int() }) },
        404: { description: 'not_found' },
        422: {
          description:
            'flow_invalid: details name the node (nodeId) or edge (edgeId) at fault; a keyword that another published flow of the organisation already answers is reported on the start node with that flow in otherFlowId',
        },
      },
      handle: async ({ params, principal }) => {
        const result = await publishFlow(db, orgOf(principal).orgId, params.id);
        if (result.ok) return { status: 201, body: { version: result.version } };
        if (result.reason === 'not_found') throw notFound();
        throw new ApiError(422, 'flow_invalid', 'The flow cannot be published', result.problems);
      },
    }),
    defineRoute({
      ...common,
      method: 'get',
      path: '/flows/:id/versions',
      operationId: 'listFlowVersions',
      summary: 'Published versions, newest first',
      access: editors,
      params: idParams,
      responses: {
        200: { description: 'The history', schema: z.object({ items: z.array(z.object({ version: z.number().int(), publishedAt: z.string() })) }) },
        404: { description: 'not_found' },
      },
      handle: async ({ params, principal }) => ({ status: 200, body: { items: (await listVersions(db, orgOf(principal).orgId, params.id)) ?? throwIt(notFound()) } }),
    }),
    defineRoute({
      ...common,
      method: 'post',
      path: '/flows/:id/versions/:version/restore',
      operationId: 'restoreFlowVersion',
      summary: 'Copy a published version into the draft',
      access: editors,
      params: z.object({ id: z.string(), version: z.coerce.number().int().min(1) }),
      responses: { 200: { description: 'The flow with the restored draft', schema: flowSchema }, 404: { description: 'not_found' } },
      handle: async ({ params, principal }) => ({
        status: 200,
        body: (await restoreVersion(db, orgOf(principal).orgId, params.id, params.version)) ?? throwIt(new ApiError(404, 'not_found', 'No such flow version')),
      }),
    }),
  ];
}

function throwIt(error: Error): never {
  throw error;
}
