import type { FlowChecks } from '../validateFlow';

/** Tiny builders so flow tests read as the graph they describe. */

export function node(id: string, type: string, data: Record<string, unknown> = validData[type] ?? {}) {
  return { id, type, position: { x: 0, y: 0 }, data };
}

export function edge(id: string, source: string, sourceHandle: string, target: string) {
  return { id, source, sourceHandle, target };
}

/** A config each block accepts, taken from SPEC §3.2. */
export const validData: Record<string, Record<string, unknown>> = {
  start: { trigger: { type: 'keyword', keywords: ['coupon'] } },
  send_message: { text: 'Hi {{contact.name}}!' },
  distribute_coupon: { couponId: 'cpn_1', message: 'Here is 10% off', buttonTitle: 'Get coupon' },
  wait_for_reply: { variable: 'answer', timeoutSeconds: 3600 },
  condition: { match: 'all', rules: [{ kind: 'tag', name: 'vip', op: 'has' }] },
  tag_contact: { add: ['got_coupon'], remove: [] },
  end: {},
};

export const existingCoupons: FlowChecks = { couponExists: (couponId: string) => couponId === 'cpn_1' };
