import { ruleReasons, timingReasons, verifyReasons } from '@couponflow/coupons';
import { z } from 'zod';
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject } from 'zod-openapi';
import type { AnyRoute } from './defineRoute';

/** Every reason the coupon engine answers, where it arises, so integrators can branch on them. */
const reasonCatalogue = [
  'Machine-readable reason.',
  `Distributing (409): ${[...ruleReasons.slice(0, 4), 'customer_not_eligible', ...ruleReasons.slice(4), 'customer_max_issued_reached', 'coupon_max_issued_reached'].join(', ')}.`,
  `Redeeming (POST /r/{token}/redeem, 409): the rules above but the audience and issuing limits, then ${timingReasons.join(', ')} (not yet: the offer stands).`,
  `Verifying: not_found (404), ${verifyReasons.filter((r) => r !== 'not_found').join(', ')} (409).`,
  'Reversing: not_found (404), not_redeemed, coupon_revoked (409).',
  'Also: external_id_taken, code_taken, pool_busy, not_unique_coupon, code_space_exhausted, pool_limit_exceeded (409); validation_failed, ends_at_shortened, code_immutable (422); file_too_large, payload_too_large (413); not_found (404); forbidden, feature_disabled (403).',
].join(' ');

export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.string().meta({ description: reasonCatalogue }),
      message: z.string(),
      details: z.array(z.object({ path: z.string(), message: z.string() })),
    }),
  })
  .meta({ id: 'Error' });

const commonErrors: Record<number, string> = {
  400: 'Malformed request (e.g. invalid JSON)',
  401: 'No or invalid API key',
  403: 'The key’s role may not do this, or the add-on is off',
  422: 'Validation failed; details name each field',
};

/** The OpenAPI 3.1 document of every declared route, from the same zod schemas that validate them. */
export function openApiDocument(routes: AnyRoute[], { serverUrl, version }: { serverUrl: string; version: string }) {
  const paths: ZodOpenApiPathsObject = {};
  for (const route of routes) {
    const path = route.path.replace(/:(\w+)/g, '{$1}');
    (paths[path] ??= {})[route.method] = operationOf(route);
  }
  return createDocument({
    openapi: '3.1.0',
    info: { title: 'Couponflow API', version, description: 'Coupons, flows and channels of a Couponflow instance.' },
    servers: [{ url: `${serverUrl}/api/v1` }],
    components: {
      securitySchemes: {
        apiKey: { type: 'http', scheme: 'bearer', description: 'An organisation API key or the instance admin key' },
        session: {
          type: 'apiKey',
          in: 'cookie',
          name: 'cf_session',
          description: 'The web app’s session (POST /session); changes must carry this site’s Origin header',
        },
      },
    },
    paths,
  });
}

function operationOf(route: AnyRoute): ZodOpenApiOperationObject {
  const responses: Record<string, object> = {};
  for (const [status, spec] of Object.entries(route.responses)) {
    responses[status] = {
      description: spec.description,
      ...(spec.schema ? { content: { [spec.contentType ?? 'application/json']: { schema: spec.schema } } } : {}),
    };
  }
  for (const [status, description] of Object.entries(commonErrors)) {
    const applies = route.access !== 'public' || status === '400' || status === '422';
    if (applies && !responses[status]) responses[status] = { description, content: { 'application/json': { schema: errorBodySchema } } };
  }
  const content: Record<string, { schema: z.ZodType }> = {};
  if (route.body) content['application/json'] = { schema: route.body };
  if (route.csvBody) content['text/csv'] = { schema: z.string().meta({ description: route.csvBody.description }) };
  return {
    operationId: route.operationId,
    summary: route.summary,
    tags: [route.tag],
    ...(route.access === 'public' ? { security: [] } : { security: [{ apiKey: [] }, { session: [] }] }),
    ...(Array.isArray(route.access) ? { description: `Roles: ${route.access.join(', ')}` } : {}),
    ...(route.access === 'instance_admin' ? { description: 'Instance admin key only' } : {}),
    requestParams: {
      ...(route.params ? { path: route.params } : {}),
      ...(route.query ? { query: route.query } : {}),
    },
    ...(Object.keys(content).length ? { requestBody: { required: true, content } } : {}),
    responses,
  } as ZodOpenApiOperationObject;
}
