import { ApiCallError, type DemoClient } from './demoClient';
import { demoCoupon } from './demoCoupon';
import { DemoError } from './demoError';
import { demoFlow } from './demoFlow';

export const demoOrgName = 'Demo Coffee';

export interface Demo {
  orgId: string;
  ownerKey: string;
  staffKey: string;
  inboxId: string;
  couponId: string;
  flowId: string;
  flowVersion: number;
}

/** Seeds the demo through the public API, as an admin would: organisation, inbox, coupon, published flow. */
export async function createDemo(call: DemoClient, adminKey: { key: string; source: string }): Promise<Demo> {
  const created = await call<{ org: { id: string }; apiKey: string }>('POST', '/orgs', adminKey.key, { name: demoOrgName }).catch((error: unknown) => {
    if (error instanceof ApiCallError && error.status === 401) {
      throw new DemoError(
        `The server refused the instance admin key from ${adminKey.source}. ` +
          'Is it running with the same DATA_DIR / ADMIN_API_KEY as this terminal?',
      );
    }
    throw error;
  });
  const owner = created.apiKey;
  const staff = await call<{ key: string }>('POST', '/api-keys', owner, { role: 'staff', name: 'Demo counter' });
  const inbox = await call<{ id: string }>('POST', '/inboxes', owner, { channel: 'webchat', name: 'Demo Coffee website' });
  const coupon = await call<{ id: string }>('POST', '/coupons', owner, demoCoupon());
  const flow = await call<{ id: string }>('POST', '/flows', owner, { name: 'Welcome coupon' });
  await call('PUT', `/flows/${flow.id}/draft`, owner, demoFlow(coupon.id));
  const published = await call<{ version: number }>('POST', `/flows/${flow.id}/publish`, owner);
  return {
    orgId: created.org.id,
    ownerKey: owner,
    staffKey: staff.key,
    inboxId: inbox.id,
    couponId: coupon.id,
    flowId: flow.id,
    flowVersion: published.version,
  };
}
