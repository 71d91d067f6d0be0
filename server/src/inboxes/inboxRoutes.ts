import { z } from 'zod';
import { createInbox, deleteInbox, getInbox, listInboxes, updateInbox, type InboxView } from '@couponflow/flow-runtime';
import type { ServerDeps } from '../deps';
import { ApiError } from '../http/apiError';
import { defineRoute, orgOf } from '../http/defineRoute';
import { credentialSchemas, inboxInput, inboxPatch, inboxSchema } from './inboxSchemas';

const idParams = z.object({ id: z.string() });
const notFound = () => new ApiError(404, 'not_found', 'No such inbox');

export function inboxRoutes({ db, config, cipher, runtime }: ServerDeps) {
  const withWebhook = (inbox: InboxView) => ({ ...inbox, webhookUrl: `${config.publicUrl}/webhooks/${inbox.id}` });
  const common = { tag: 'Inboxes' } as const;
  return [
    defineRoute({
      ...common,
      method: 'post',
      path: '/inboxes',
      operationId: 'createInbox',
      summary: 'Connect an inbox (a channel account, or the built-in web chat)',
      access: ['owner', 'admin'],
      body: inboxInput,
      responses: { 201: { description: 'The inbox and the URL to give the platform', schema: inboxSchema } },
      handle: async ({ body, principal }) => ({ status: 201, body: withWebhook(await createInbox(db, cipher, orgOf(principal).orgId, body)) }),
    }),
    defineRoute({
      ...common,
      method: 'get',
      path: '/inboxes',
      operationId: 'listInboxes',
      summary: 'The organisation’s inboxes (credentials masked)',
      access: ['owner', 'admin', 'designer'],
      responses: { 200: { description: 'Inboxes', schema: z.object({ items: z.array(inboxSchema) }) } },
      handle: async ({ principal }) => ({ status: 200, body: { items: (await listInboxes(db, cipher, orgOf(principal).orgId)).map(withWebhook) } }),
    }),
    defineRoute({
      ...common,
      method: 'get',
      path: '/inboxes/:id',
      operationId: 'getInbox',
      summary: 'One inbox (credentials masked)',
      access: ['owner', 'admin', 'designer'],
      params: idParams,
      responses: { 200: { description: 'The inbox', schema: inboxSchema }, 404: { description: 'not_found' } },
      handle: async ({ params, principal }) => {
        const inbox = await getInbox(db, cipher, orgOf(principal).orgId, params.id);
        if (!inbox) throw notFound();
        return { status: 200, body: withWebhook(inbox) };
      },
    }),
    defineRoute({
      ...common,
      method: 'patch',
      path: '/inboxes/:id',
      operationId: 'updateInbox',
      summary: 'Rename, replace credentials, change the rate or the API address',
      access: ['owner', 'admin'],
      params: idParams,
      body: inboxPatch,
      responses: { 200: { description: 'The inbox', schema: inboxSchema }, 404: { description: 'not_found' }, 422: { description: 'validation_failed' } },
      handle: async ({ params, body, principal }) => {
        const { orgId } = orgOf(principal);
        const current = await getInbox(db, cipher, orgId, params.id);
        if (!current) throw notFound();
        let credentials: Record<string, string> | undefined;
        if (body.credentials) {
          const parsed = credentialSchemas[current.channel].safeParse(body.credentials);
          if (!parsed.success)
            throw new ApiError(
              422,
              'validation_failed',
              `Credentials do not fit a ${current.channel} inbox`,
              parsed.error.issues.map((i) => ({ path: ['credentials', ...i.path].join('.'), message: i.message })),
            );
          credentials = parsed.data as Record<string, string>;
        }
        if (body.offerTemplate && current.channel !== 'whatsapp')
          throw new ApiError(422, 'validation_failed', 'Only WhatsApp inboxes use message templates', [{ path: 'offerTemplate', message: 'WhatsApp only' }]);
        const updated = await updateInbox(db, cipher, orgId, params.id, {
          ...(body.name !== undefined ? { name: body.name } : {}),
          ...(credentials ? { credentials } : {}),
          ...(body.apiBaseUrl !== undefined ? { apiBaseUrl: body.apiBaseUrl } : {}),
          ...(body.rateLimitPerSecond !== undefined ? { rateLimitPerSecond: body.rateLimitPerSecond } : {}),
          ...(body.offerTemplate !== undefined ? { offerTemplate: body.offerTemplate } : {}),
        });
        if (!updated) throw notFound();
        // Every process (webhooks, workers) drops the channel it built from the old row.
        await runtime.inboxChanged(params.id);
        return { status: 200, body: withWebhook(updated) };
      },
    }),
    defineRoute({
      ...common,
      method: 'delete',
      path: '/inboxes/:id',
      operationId: 'deleteInbox',
      summary: 'Disconnect an inbox (runs waiting to send through it leave by `error`)',
      access: ['owner', 'admin'],
      params: idParams,
      responses: { 204: { description: 'Removed' }, 404: { description: 'not_found' } },
      handle: async ({ params, principal }) => {
        if (!(await deleteInbox(db, orgOf(principal).orgId, params.id))) throw notFound();
        await runtime.inboxChanged(params.id);
        return { status: 204, body: undefined };
      },
    }),
  ];
}
