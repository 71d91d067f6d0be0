import type { Database } from '@couponflow/db';
import type { EngineContext } from './context';
import { couponStats } from './couponStats';
import { createCoupon } from './createCoupon';
import { distributeCoupon, type DistributeInput } from './distributeCoupon';
import { expireDue } from './expireDue';
import { exportRecordsCsv } from './exportRecordsCsv';
import { generateCodes } from './generateCodes';
import { importCodes } from './importCodes';
import { listCoupons, getCoupon } from './listCoupons';
import { listEvents } from './listEvents';
import { listRecords } from './listRecords';
import { openRedemption, peekRedemption } from './openRedemption';
import { redeemCoupon } from './redeemCoupon';
import { revokeCoupon } from './revokeCoupon';
import { updateCoupon } from './updateCoupon';
import { verifyRedemption, type VerifyInput } from './verifyRedemption';

export type CouponEngine = ReturnType<typeof createCouponEngine>;

/** The typed API the server and the runtime call: every operation of SPEC §2 bound to one database. */
export function createCouponEngine({ db, now = () => new Date() }: { db: Database; now?: () => Date }) {
  const ctx: EngineContext = { db, now };
  return {
    createCoupon: (orgId: string, input: unknown) => createCoupon(ctx, orgId, input),
    updateCoupon: (orgId: string, couponId: string, patch: unknown) => updateCoupon(ctx, orgId, couponId, patch),
    getCoupon: (orgId: string, couponId: string) => getCoupon(ctx, orgId, couponId),
    listCoupons: (orgId: string, page?: { cursor?: string; limit?: number }) => listCoupons(ctx, orgId, page),
    generateCodes: (orgId: string, couponId: string, count: number) => generateCodes(ctx, orgId, couponId, count),
    importCodes: (orgId: string, couponId: string, body: AsyncIterable<Buffer | string>, options?: { maxBytes?: number }) =>
      importCodes(ctx, orgId, couponId, body, options),
    distribute: (orgId: string, input: DistributeInput) => distributeCoupon(ctx, orgId, input),
    open: (token: string) => openRedemption(ctx, token),
    peek: (token: string) => peekRedemption(ctx, token),
    redeem: (token: string) => redeemCoupon(ctx, token),
    verify: (orgId: string, input: VerifyInput) => verifyRedemption(ctx, orgId, input),
    revoke: (orgId: string, couponId: string, input: unknown) => revokeCoupon(ctx, orgId, couponId, input),
    expireDue: (scope?: { couponId?: string }) => expireDue(ctx, scope),
    stats: (orgId: string, couponId: string) => couponStats(ctx, orgId, couponId),
    listRecords: (orgId: string, couponId: string, query: unknown) => listRecords(ctx, orgId, couponId, query),
    exportRecordsCsv: (orgId: string, couponId: string, query: Record<string, unknown>) => exportRecordsCsv(ctx, orgId, couponId, query),
    listEvents: (orgId: string, query?: { couponId?: string; cursor?: number; limit?: number }) => listEvents(ctx, orgId, query),
  };
}
