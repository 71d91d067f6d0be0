import type { PortId } from '../blockDefinitions';
import type { OfferReminder } from '../blocks/distribute_coupon/schema';
import type { BlockExecutor, ResumeResult, ScheduledCheck, StepContext, StepResult } from './executorTypes';

type Port = PortId<'distribute_coupon'>;

/** SPEC §3.3: each reason the engine can answer, and the port the run leaves by. */
export function portForReason(reason: string): Port {
  switch (reason) {
    case 'coupon_revoked':
    case 'coupon_inactive':
    case 'coupon_not_started':
    case 'coupon_expired':
      return 'coupon_expired';
    // The block keeps its five ports; {{coupon.reason}} carries the precise reason (issue 10).
    case 'customer_max_uses_reached':
    case 'customer_not_eligible':
    case 'customer_max_issued_reached':
      return 'customer_max_uses_reached';
    case 'coupon_max_uses_reached':
    case 'coupon_max_issued_reached':
      return 'coupon_max_uses_reached';
    default:
      return 'error';
  }
}

/**
 * What a waiting offer checks later (SPEC §3.4 delayed expiry jobs): `offer_expiry` at the record's
 * expiry, `offer_reminder` N hours before it, `offer_changed` when an admin revoked or switched off
 * the coupon (sent by the runtime, at once).
 */
export const offerChecks = { expiry: 'offer_expiry', reminder: 'offer_reminder', changed: 'offer_changed' } as const;

const hourMs = 3600 * 1000;
const leave = (reason: string): StepResult<Port> => ({ kind: 'continue', port: portForReason(reason), vars: { 'coupon.reason': reason } });

export const distributeCouponExecutor: BlockExecutor<'distribute_coupon'> = {
  execute: async ({ node, run, services, render }) => {
    const { couponId, message, buttonTitle, imageUrl, reminder, whatsappTemplate } = node.data;
    if (!(await services.couponsEnabled())) return leave('feature_disabled');
    let result;
    try {
      result = await services.coupons.distribute(run.orgId, {
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
    await services.send({ type: 'offer', text: await render(message), ...(imageUrl ? { imageUrl } : {}), buttons: [{ title: buttonTitle, url }], ...(whatsappTemplate ? { template: whatsappTemplate } : {}) });
    const expiresAt = record.expiresAt ? new Date(record.expiresAt) : null;
    const checks: ScheduledCheck[] = expiresAt ? [{ check: offerChecks.expiry, at: expiresAt }] : [];
    const remindAt = reminderTime(expiresAt, reminder);
    // An offer sent already inside the reminder window needs no reminder on its heels.
    if (remindAt && remindAt > services.now()) checks.push({ check: offerChecks.reminder, at: remindAt });
    return {
      kind: 'wait',
      waitingFor: 'redemption',
      checks,
      vars: { 'coupon.redeemUrl': url, 'coupon.id': couponId, 'coupon.recordId': record.id, 'coupon.expiresAt': record.expiresAt ?? '', 'coupon.remindedAt': '' },
    };
  },
  resume: (ctx, event) => {
    if (event.kind === 'redemption') {
      if (event.outcome === 'redeemed') return { kind: 'continue', port: 'redeemed', vars: { 'coupon.code': event.code ?? '', 'coupon.reason': '' } };
      return leave(event.outcome);
    }
    // The channel refused the offer for good (or could not send it at all): the reason says which.
    if (event.kind === 'delivery_failed') return leave(event.reason || 'delivery_failed');
    if (event.kind === 'check') return checkOffer(ctx, event.check, event.dueAt);
    return null;
  },
};

/**
 * Looks at the offer again. Ended (revoked, switched off, expired) → leave by `coupon_expired` with
 * the precise reason. Still open: an expiry check finds the period extended and looks again at the
 * new expiry; a reminder goes out once (or moves with an extended expiry); anything else waits on.
 */
async function checkOffer({ node, run, services, render }: StepContext<'distribute_coupon'>, check: string, dueAt: Date): Promise<ResumeResult<Port> | null> {
  const recordId = run.vars['coupon.recordId'];
  if (!recordId) return null;
  // A check is about the moment it was due for, even if the worker's clock is a little behind.
  const now = services.now();
  const at = dueAt > now ? dueAt : now;
  const offer = await services.offerState(recordId, at);
  if (offer.state === 'ended') return leave(offer.reason);
  if (offer.state !== 'open') return { kind: 'stay' };
  const vars = { 'coupon.expiresAt': offer.expiresAt?.toISOString() ?? '' };
  if (check === offerChecks.expiry) {
    return { kind: 'stay', vars, ...(offer.expiresAt && offer.expiresAt > at ? { checks: [{ check: offerChecks.expiry, at: offer.expiresAt }] } : {}) };
  }
  if (check === offerChecks.reminder) {
    const { reminder, buttonTitle } = node.data;
    if (!reminder || run.vars['coupon.remindedAt']) return { kind: 'stay' };
    const remindAt = reminderTime(offer.expiresAt, reminder);
    if (!remindAt) return { kind: 'stay' };
    if (remindAt > at) return { kind: 'stay', vars, checks: [{ check: offerChecks.reminder, at: remindAt }] };
    const url = run.vars['coupon.redeemUrl'];
    // The offer stays valid if the reminder cannot be delivered, so a refusal does not end the wait.
    await services.send({ type: 'text', text: await render(reminder.message), buttons: url ? [{ title: buttonTitle, url }] : [] }, { refusalWakesRun: false });
    return { kind: 'stay', vars: { ...vars, 'coupon.remindedAt': now.toISOString() } };
  }
  return { kind: 'stay' };
}

function reminderTime(expiresAt: Date | null, reminder: OfferReminder | undefined): Date | null {
  if (!expiresAt || !reminder) return null;
  return new Date(expiresAt.getTime() - reminder.hoursBefore * hourMs);
}
