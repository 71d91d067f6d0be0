import { describe, expect, it } from 'vitest';
import { blockTypes } from './blockDefinitions';
import { nodeTypes } from './nodeTypes';

describe('GET /node-types', () => {
  it('lists all seven blocks as plain JSON', () => {
    const types = nodeTypes();
    expect(types.map((t) => t.type)).toEqual(blockTypes);
    expect(JSON.parse(JSON.stringify(types))).toEqual(types);
  });

  it('describes each config as a draft 2020-12 JSON Schema object', () => {
    for (const { configSchema } of nodeTypes()) {
      expect(configSchema).toMatchObject({ $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object' });
    }
  });

  it('shows Distribute Coupon with its fields, required ones and ports', () => {
    const offer = nodeTypes().find((t) => t.type === 'distribute_coupon');
    expect(offer).toMatchObject({
      label: 'Distribute Coupon',
      defaults: { buttonTitle: 'Get coupon' },
      configSchema: {
        properties: { couponId: { type: 'string' }, message: { maxLength: 2000 }, buttonTitle: { maxLength: 20 }, imageUrl: {} },
        required: ['couponId', 'message', 'buttonTitle'],
        additionalProperties: false,
      },
    });
    expect(offer?.ports.map((p) => p.id)).toEqual(['redeemed', 'coupon_expired', 'customer_max_uses_reached', 'coupon_max_uses_reached', 'error']);
  });

  it('shows the optional expiry reminder of Distribute Coupon and the Condition tests from the same schemas', () => {
    const offer = nodeTypes().find((t) => t.type === 'distribute_coupon')!;
    expect(offer.configSchema.properties?.reminder).toMatchObject({
      type: 'object',
      properties: { hoursBefore: { type: 'number', exclusiveMinimum: 0 }, message: { maxLength: 2000 } },
      required: ['hoursBefore', 'message'],
    });
    const condition = JSON.stringify(nodeTypes().find((t) => t.type === 'condition')!.configSchema);
    for (const op of ['has_not', 'exists', 'equals', 'contains']) expect(condition).toContain(`"${op}"`);
  });

  it('lists fields with a default as optional, as a client may leave them out', () => {
    const tagContact = nodeTypes().find((t) => t.type === 'tag_contact');
    expect(tagContact?.configSchema.required).toBeUndefined();
  });

  it('hands out copies: changing one answer leaves the next intact', () => {
    const first = nodeTypes();
    (first[0]?.defaults as { trigger: { keywords: string[] } }).trigger.keywords.push('mutated');
    first[0]?.ports.pop();
    expect(nodeTypes()[0]).toMatchObject({ defaults: { trigger: { keywords: [] } }, ports: [{ id: 'next' }] });
  });
});
