import type { CouponEngine } from '@couponflow/coupons';
import type { CredentialCipher, Database } from '@couponflow/db';
import { createFlow, createInbox, publishFlow, saveDraft } from '@couponflow/flow-runtime';
import { expectOk, openEndedPeriod } from './benchKit';

/** A web chat inbox and a published flow: broadcast start → Distribute Coupon (a common code). */
export async function broadcastFlow(db: Database, engine: CouponEngine, cipher: CredentialCipher, orgId: string): Promise<{ inboxId: string; flowId: string }> {
  const inbox = await createInbox(db, cipher, orgId, { channel: 'webchat', name: 'Bench', credentials: {}, rateLimitPerSecond: 100_000 });
  const coupon = expectOk(await engine.createCoupon(orgId, { name: 'Bench broadcast', code: { type: 'common' }, activePeriod: openEndedPeriod() }));
  const flow = await createFlow(db, orgId, 'Broadcast');
  const node = (id: string, type: string, data: Record<string, unknown>) => ({ id, type, position: { x: 0, y: 0 }, data });
  await saveDraft(db, orgId, flow.id, {
    nodes: [node('start', 'start', { trigger: { type: 'broadcast' } }), node('offer', 'distribute_coupon', { couponId: coupon.id, message: 'A gift for you', buttonTitle: 'Open' })],
    edges: [{ id: 'e1', source: 'start', sourceHandle: 'next', target: 'offer' }],
  });
  const published = await publishFlow(db, orgId, flow.id);
  if (!published.ok) throw new Error(`publish failed: ${published.reason}`);
  return { inboxId: inbox.id, flowId: flow.id };
}
