import { audienceRoutes } from './coupons/audienceRoutes';
import { couponRoutes } from './coupons/couponRoutes';
import { distributionRoutes } from './coupons/distributionRoutes';
import { poolRoutes } from './coupons/poolRoutes';
import { recordRoutes } from './coupons/recordRoutes';
import { verifyRoute } from './coupons/verifyRoute';
import type { ServerDeps } from './deps';
import { broadcastRoutes } from './flows/broadcastRoutes';
import { flowRoutes } from './flows/flowRoutes';
import { nodeTypesRoute } from './flows/nodeTypesRoute';
import { contactRoute } from './inboxes/contactRoute';
import { inboxRoutes } from './inboxes/inboxRoutes';
import { webchatRoutes } from './webchat/webchatRoutes';
import type { AnyRoute } from './http/defineRoute';
import { orgRoutes } from './orgs/orgRoutes';
import { orgSettingsRoutes } from './orgs/orgSettingsRoutes';
import { redeemPreviewRoute } from './redeem/redeemPreviewRoute';
import { sessionRoutes } from './session/sessionRoutes';

/** Every `/api/v1` endpoint, in the order the OpenAPI document lists them. */
export function apiRoutes(deps: ServerDeps): AnyRoute[] {
  return [
    ...sessionRoutes(deps.db, deps.adminKeyHash, deps.limiter),
    ...orgRoutes(deps.db),
    ...orgSettingsRoutes(deps.db),
    ...couponRoutes(deps),
    ...poolRoutes(deps),
    ...audienceRoutes(deps),
    ...distributionRoutes(deps),
    ...recordRoutes(deps),
    verifyRoute(deps),
    redeemPreviewRoute(),
    ...flowRoutes(deps),
    nodeTypesRoute(),
    ...broadcastRoutes(deps),
    ...inboxRoutes(deps),
    contactRoute(deps),
    ...webchatRoutes(deps),
  ];
}
