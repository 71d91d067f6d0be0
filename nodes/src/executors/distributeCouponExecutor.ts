import type { PortId } from '../blockDefinitions';
import type { BlockExecutor, StepResult } from './executorTypes';

type Port = PortId<'distribute_coupon'>;

/** SPEC §3.3: each reason the engine can answer, and the port the run leaves by. */
export function portForReason(reason: string): Port {
  switch (reason) {
    case 'coupon_revoked':
    case 'coupon_inactive':
    case 'coupon_not_started':
    case 'coupon_expired':
      return 'coupon_expired';
    case 'customer_max_uses_reached':
      return 'customer_max_uses_reached';
    case 'coupon_max_uses_reached':
      return 'coupon_max_uses_reached';
    default:
      return 'error';
  }
}

const leave = (reason: string): StepResult<Port> => ({ kind: 'continue', port: portForReason(reason), vars: { 'coupon.reason': reason } });

export const distributeCouponExecutor: BlockExecutor<'distribute_coupon'> = {
  execute: ({ node, run, services, render }) => {
    const { couponId, message, buttonTitle, imageUrl, whatsappTemplate } = node.data;
    let result;
    try {
      result = services.coupons.distribute(run.orgId, {
        couponId,
        customerId: run.customerId,
        inboxId: run.inboxId,
        channel: run.channel,
        // A retried step finds the record it made the first time: no second coupon.
        idempotencyKey: `${run.id}:${node.id}`,
        flowRunId: run.id,
        nodeId: node.id,
      });
    } catch {
      return leave('unexpected_error');
    }
    if (!result.ok) return leave(result.reason);
    const { record } = result.value;
    if (record.code && (record.status === 'redeemed' || record.status === 'verified'))
      return { kind: 'continue', port: 'redeemed', vars: { 'coupon.code': record.code, 'coupon.reason': '' } };
    const url = services.redeemUrl(record.token);
    services.send({ type: 'offer', text: render(message), ...(imageUrl ? { imageUrl } : {}), buttons: [{ title: buttonTitle, url }], ...(whatsappTemplate ? { template: whatsappTemplate } : {}) });
    return { kind: 'wait', waitingFor: 'redemption', vars: { 'coupon.redeemUrl': url, 'coupon.id': couponId, 'coupon.recordId': record.id } };
  },
  resume: (_ctx, event) => {
    if (event.kind === 'redemption') {
      if (event.outcome === 'redeemed') return { kind: 'continue', port: 'redeemed', vars: { 'coupon.code': event.code ?? '', 'coupon.reason': '' } };
      return leave(event.outcome);
    }
    // The channel refused the offer for good (or could not send it at all): the reason says which.
    if (event.kind === 'delivery_failed') return leave(event.reason || 'delivery_failed');
    return null;
  },
};
