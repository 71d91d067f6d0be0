import { z } from 'zod';
import type { Database } from '@couponflow/db';
import { apiRoles } from '../auth/apiKeys';
import { ApiError } from '../http/apiError';
import { defineRoute, orgOf } from '../http/defineRoute';
import { createApiKey, createOrganisation, listApiKeys, listOrganisations, revokeApiKey, updateFeatures } from './organisations';

const features = z.object({ coupons: z.boolean() }).meta({ id: 'Features' });
const orgSchema = z.object({ id: z.string(), name: z.string(), features }).meta({ id: 'Organisation' });
const idParams = z.object({ id: z.string() });
const apiKeySchema = z
  .object({ id: z.string(), role: z.enum(apiRoles), name: z.string().nullable(), createdAt: z.string(), lastUsedAt: z.string().nullable() })
  .meta({ id: 'ApiKey' });

export function orgRoutes(db: Database) {
  return [
    defineRoute({
      method: 'post',
      path: '/orgs',
      operationId: 'createOrganisation',
      summary: 'Create an organisation and its owner key',
      tag: 'Organisations',
      access: 'instance_admin',
      body: z.object({
        name: z.string().trim().min(1).max(100),
        // Self-hosted: the instance admin is the account manager, so the add-on starts on.
        features: features.partial().default({}),
      }),
      responses: { 201: { description: 'Created; apiKey is shown only now', schema: z.object({ org: orgSchema, apiKey: z.string() }) } },
      handle: async ({ body }) => ({ status: 201, body: await createOrganisation(db, body.name, { coupons: true, ...body.features }) }),
    }),
    defineRoute({
      method: 'get',
      path: '/orgs',
      operationId: 'listOrganisations',
      summary: 'Every organisation of this instance, newest first',
      tag: 'Organisations',
      access: 'instance_admin',
      responses: { 200: { description: 'The organisations', schema: z.object({ items: z.array(orgSchema.extend({ createdAt: z.string() })) }) } },
      handle: async () => ({ status: 200, body: { items: await listOrganisations(db) } }),
    }),
    defineRoute({
      method: 'patch',
      path: '/orgs/:id',
      operationId: 'updateOrganisation',
      summary: 'Switch add-ons on or off',
      tag: 'Organisations',
      access: 'instance_admin',
      params: idParams,
      body: z.object({ features: features.partial() }),
      responses: { 200: { description: 'The organisation', schema: orgSchema }, 404: { description: 'No such organisation' } },
      handle: async ({ params, body }) => {
        const org = await updateFeatures(db, params.id, body.features);
        if (!org) throw new ApiError(404, 'not_found', 'No such organisation');
        return { status: 200, body: org };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api-keys',
      operationId: 'createApiKey',
      summary: 'Create an API key for the caller’s organisation',
      tag: 'Organisations',
      access: ['owner', 'admin'],
      body: z.object({ role: z.enum(apiRoles), name: z.string().trim().min(1).max(100).optional() }),
      responses: { 201: { description: 'Created; the key is shown only now', schema: z.object({ id: z.string(), role: z.enum(apiRoles), key: z.string() }) } },
      handle: async ({ body, principal }) => {
        const org = orgOf(principal);
        if (body.role === 'owner' && org.role !== 'owner') throw new ApiError(403, 'forbidden', 'Only an owner may create owner keys');
        return { status: 201, body: await createApiKey(db, org.orgId, body.role, body.name ?? null) };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api-keys',
      operationId: 'listApiKeys',
      summary: 'The organisation’s API keys (never the keys themselves)',
      tag: 'Organisations',
      access: ['owner', 'admin'],
      responses: { 200: { description: 'Live keys, oldest first', schema: z.object({ items: z.array(apiKeySchema) }) } },
      handle: async ({ principal }) => ({ status: 200, body: { items: await listApiKeys(db, orgOf(principal).orgId) } }),
    }),
    defineRoute({
      method: 'delete',
      path: '/api-keys/:id',
      operationId: 'revokeApiKey',
      summary: 'Revoke a key: it stops working at once, with the web sessions opened with it',
      tag: 'Organisations',
      access: ['owner', 'admin'],
      params: idParams,
      responses: {
        204: { description: 'Revoked' },
        403: { description: 'forbidden: only an owner may revoke an owner key' },
        404: { description: 'not_found' },
        409: { description: 'last_owner_key: an organisation keeps at least one owner key' },
      },
      handle: async ({ params, principal, res }) => {
        const org = orgOf(principal);
        const result = await revokeApiKey(db, org.orgId, params.id, org.role);
        if (result === 'not_found') throw new ApiError(404, 'not_found', 'No such API key');
        if (result === 'forbidden') throw new ApiError(403, 'forbidden', 'Only an owner may revoke an owner key');
        if (result === 'last_owner_key') throw new ApiError(409, 'last_owner_key', 'Create another owner key before revoking the last one');
        res.status(204).end();
      },
    }),
  ];
}
