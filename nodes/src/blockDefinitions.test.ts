import { describe, expect, expectTypeOf, it } from 'vitest';
import { blockDefinitions, blockTypes, isBlockType, portsOf, type PortId } from './blockDefinitions';

describe('block registry', () => {
  it('holds the seven blocks of SPEC §3.2, each under its own type', () => {
    expect(blockTypes).toEqual(['start', 'send_message', 'distribute_coupon', 'wait_for_reply', 'condition', 'tag_contact', 'end']);
    for (const type of blockTypes) expect(blockDefinitions[type].type).toBe(type);
  });

  it('gives Distribute Coupon one port per outcome, by id', () => {
    expect(portsOf('distribute_coupon')).toEqual([
      { id: 'redeemed', label: 'Redeemed' },
      { id: 'coupon_expired', label: 'Coupon Expired' },
      { id: 'customer_max_uses_reached', label: 'Customer Max Uses Reached' },
      { id: 'coupon_max_uses_reached', label: 'Coupon Max Uses Reached' },
      { id: 'error', label: 'Error' },
    ]);
    expectTypeOf<PortId<'distribute_coupon'>>().toEqualTypeOf<
      'redeemed' | 'coupon_expired' | 'customer_max_uses_reached' | 'coupon_max_uses_reached' | 'error'
    >();
  });

  it('wires the other blocks as the spec draws them', () => {
    const portIds = (type: Parameters<typeof portsOf>[0]) => portsOf(type).map((p) => p.id);
    expect(portIds('start')).toEqual(['next']);
    expect(portIds('send_message')).toEqual(['next']);
    expect(portIds('wait_for_reply')).toEqual(['next', 'timeout']);
    expect(portIds('condition')).toEqual(['true', 'false']);
    expect(portIds('tag_contact')).toEqual(['next']);
    expect(portIds('end')).toEqual([]);
  });

  it('has unique port ids on every block', () => {
    for (const type of blockTypes) {
      const ids = portsOf(type).map((p) => p.id);
      expect(new Set(ids).size).toBe(ids.length);
    }
  });

  it('offers Get coupon as the default button, and valid end/wait defaults', () => {
    expect(blockDefinitions.distribute_coupon.defaults.buttonTitle).toBe('Get coupon');
    expect(blockDefinitions.wait_for_reply.schema.safeParse(blockDefinitions.wait_for_reply.defaults).success).toBe(true);
    expect(blockDefinitions.end.schema.safeParse(blockDefinitions.end.defaults).success).toBe(true);
  });

  it('knows its types and nothing inherited', () => {
    expect(isBlockType('condition')).toBe(true);
    expect(isBlockType('webhook')).toBe(false);
    expect(isBlockType('toString')).toBe(false);
  });
});
