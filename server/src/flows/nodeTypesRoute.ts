import { z } from 'zod';
import { nodeTypes } from '@couponflow/nodes';
import { defineRoute, orgOf } from '../http/defineRoute';

/** Block definitions for the editor's palette; Distribute Coupon only when the coupons add-on is on. */
export function nodeTypesRoute() {
  return defineRoute({
    method: 'get',
    path: '/node-types',
    operationId: 'listNodeTypes',
    summary: 'Block definitions: type, label, ports, defaults and the JSON Schema of the config',
    tag: 'Flows',
    access: ['owner', 'admin', 'designer'],
    responses: {
      200: {
        description: 'Every block available to this organisation',
        schema: z.object({
          items: z.array(
            z.object({
              type: z.string(),
              label: z.string(),
              description: z.string(),
              ports: z.array(z.object({ id: z.string(), label: z.string() })),
              defaults: z.record(z.string(), z.unknown()),
              configSchema: z.record(z.string(), z.unknown()),
            }),
          ),
        }),
      },
    },
    handle: ({ principal }) => {
      const { features } = orgOf(principal);
      return { status: 200, body: { items: nodeTypes().filter((t) => features.coupons || t.type !== 'distribute_coupon') } };
    },
  });
}
