import type { Database } from '@couponflow/db';
import type { EngineContext } from './context';
import { couponStats } from './couponStats';
import { createCoupon } from './createCoupon';
import { distributeCoupon, type DistributeInput } from './distributeCoupon';
import { expireDue } from './expireDue';
import { exportRecordsCsv } from './exportRecordsCsv';
import { generateCodes, type PoolWriteOptions } from './generateCodes';
import { clearAudience, importAudience } from './importAudience';
import { importCodes } from './importCodes';
import { couponSummary, listCoupons, getCoupon, type CouponListQuery } from './listCoupons';
import { exportEventsCsv, listCouponEvents, listEvents } from './listEvents';
import { listRecords } from './listRecords';
import { openRedemption, peekRedemption } from './openRedemption';
import { redeemCoupon } from './redeemCoupon';
import { reverseRedemption } from './reverseRedemption';
import { revokeCoupon } from './revokeCoupon';
import { updateCoupon } from './updateCoupon';
import { verifyRedemption, type VerifyInput } from './verifyRedemption';

export type CouponEngine = ReturnType<typeof operations> & {
  /**
   * The same operations inside the caller's write transaction `tx` (each one a savepoint of it), so
   * what they write commits with the caller's work or not at all (a flow step's offer).
   */
  within(tx: Database): CouponEngine;
};

/** The typed API the server and the runtime call: every operation of SPEC §2 bound to one database. */
export function createCouponEngine({ db, now = systemNow }: { db: Database; now?: () => Date }): CouponEngine {
  const engine: CouponEngine = operations({ db, now }) as CouponEngine;
  engine.within = (tx) => createCouponEngine({ db: tx, now });
  return engine;
}

const systemNow = () => new Date();

/**
 * Methods, not arrow properties: tsx (esbuild keepNames) names every arrow property with a
 * defineProperty when the object is made, and a flow step makes an engine per transaction
 * (~14 µs for thirty arrows, ~1 µs as methods).
 */
function operations(ctx: EngineContext) {
  return {
    createCoupon(orgId: string, input: unknown) {
      return createCoupon(ctx, orgId, input);
    },
    updateCoupon(orgId: string, couponId: string, patch: unknown) {
      return updateCoupon(ctx, orgId, couponId, patch);
    },
    getCoupon(orgId: string, couponId: string) {
      return getCoupon(ctx, orgId, couponId);
    },
    couponSummary(orgId: string, couponId: string) {
      return couponSummary(ctx, orgId, couponId);
    },
    listCoupons(orgId: string, query?: CouponListQuery) {
      return listCoupons(ctx, orgId, query);
    },
    generateCodes(orgId: string, couponId: string, count: number, options?: PoolWriteOptions) {
      return generateCodes(ctx, orgId, couponId, count, options);
    },
    importCodes(orgId: string, couponId: string, body: AsyncIterable<Buffer | string>, options?: { maxBytes?: number } & PoolWriteOptions) {
      return importCodes(ctx, orgId, couponId, body, options);
    },
    importAudience(orgId: string, couponId: string, body: AsyncIterable<Buffer | string>, options?: { maxBytes?: number }) {
      return importAudience(ctx, orgId, couponId, body, options);
    },
    clearAudience(orgId: string, couponId: string) {
      return clearAudience(ctx, orgId, couponId);
    },
    distribute(orgId: string, input: DistributeInput) {
      return distributeCoupon(ctx, orgId, input);
    },
    open(token: string) {
      return openRedemption(ctx, token);
    },
    peek(token: string) {
      return peekRedemption(ctx, token);
    },
    redeem(token: string) {
      return redeemCoupon(ctx, token);
    },
    verify(orgId: string, input: VerifyInput) {
      return verifyRedemption(ctx, orgId, input);
    },
    reverse(orgId: string, couponId: string, recordId: string, input: unknown) {
      return reverseRedemption(ctx, orgId, couponId, recordId, input);
    },
    revoke(orgId: string, couponId: string, input: unknown) {
      return revokeCoupon(ctx, orgId, couponId, input);
    },
    expireDue(scope?: { couponId?: string }) {
      return expireDue(ctx, scope);
    },
    stats(orgId: string, couponId: string, query?: unknown) {
      return couponStats(ctx, orgId, couponId, query);
    },
    listRecords(orgId: string, couponId: string, query: unknown) {
      return listRecords(ctx, orgId, couponId, query);
    },
    exportRecordsCsv(orgId: string, couponId: string, query: Record<string, unknown>) {
      return exportRecordsCsv(ctx, orgId, couponId, query);
    },
    listCouponEvents(orgId: string, couponId: string, query: unknown) {
      return listCouponEvents(ctx, orgId, couponId, query);
    },
    exportEventsCsv(orgId: string, couponId: string, query: Record<string, unknown>) {
      return exportEventsCsv(ctx, orgId, couponId, query);
    },
    listEvents(orgId: string, query?: { couponId?: string; cursor?: number; limit?: number }) {
      return listEvents(ctx, orgId, query);
    },
  };
}
