import { and, eq } from 'drizzle-orm';
import { newId, writeTransaction, type Database } from '@couponflow/db';
import { randomCodes } from './codeAlphabet';
import { couponInputSchema, zodDetails, type CouponSettings } from './couponSchema';
import { couponView, type CouponView } from './couponView';
import type { EngineContext } from './context';
import { redeemPageProblem } from './checkRedeemPage';
import { onceUniqueSettles } from './onceUniqueSettles';
import { ok, refuse, type Result } from './result';

export async function createCoupon(ctx: EngineContext, orgId: string, input: unknown): Promise<Result<CouponView>> {
  const parsed = couponInputSchema.safeParse(input);
  if (!parsed.success) return refuse('validation_failed', 'The coupon is not valid', zodDetails(parsed.error));
  const settings = parsed.data;
  const problem = redeemPageProblem(settings.code, settings.redeemPage);
  if (problem) return refuse('validation_failed', problem, [{ path: 'redeemPage.codeDisplay', message: problem }]);

  // The unique indexes on (org, common code) and (org, externalId) settle a race between two creates.
  return onceUniqueSettles(() => insertCoupon(ctx, orgId, settings));
}

function insertCoupon(ctx: EngineContext, orgId: string, settings: CouponSettings): Promise<Result<CouponView>> {
  return writeTransaction(ctx.db, async (tx) => {
    const commonCode = settings.code.type === 'common' ? (settings.code.value ?? (await freshCommonCode(tx, orgId, settings))) : null;
    if (settings.externalId && (await externalIdTaken(tx, orgId, settings.externalId, null)))
      return refuse('external_id_taken', `Another coupon of this organisation has the externalId ${settings.externalId}`, [
        { path: 'externalId', message: 'already used' },
      ]);
    if (commonCode && (await codeInUse(tx, orgId, commonCode)))
      return refuse('code_taken', `The code ${commonCode} is already used in this organisation`, [
        { path: 'code.value', message: 'already used' },
      ]);
    const now = ctx.now();
    const unique = settings.code.type === 'unique' ? settings.code : null;
    const [row] = await tx
      .insert(tx.tables.coupons)
      .values({
        id: newId('cpn'),
        orgId,
        name: settings.name,
        codeType: settings.code.type,
        codeValue: commonCode,
        codeLength: unique?.length ?? null,
        codeCharset: unique?.charset ?? null,
        codePrefix: unique?.prefix ?? null,
        startsAt: new Date(settings.activePeriod.startsAt),
        endsAt: settings.activePeriod.endsAt ? new Date(settings.activePeriod.endsAt) : null,
        totalLimit: settings.totalLimit,
        perCustomerLimit: settings.perCustomerLimit,
        active: settings.active,
        usageExpiry: settings.usageExpiry,
        redeemPage: settings.redeemPage,
        contactTags: settings.contactTags,
        ...restrictionColumns(settings),
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    return ok(couponView(row!));
  });
}

/** The issue-10 settings as columns (the same for create and update). */
export function restrictionColumns(settings: CouponSettings) {
  return {
    externalId: settings.externalId,
    discount: settings.discount,
    redemptionWindow: settings.redemptionWindow,
    minHoursBetweenRedemptions: settings.minHoursBetweenRedemptions,
    redeemableAfterDays: settings.redeemableAfterDays,
    audience: settings.audience,
    maxIssuedTotal: settings.maxIssuedTotal,
    maxIssuedPerCustomer: settings.maxIssuedPerCustomer,
    lowStockThreshold: settings.lowStockThreshold,
  };
}

export async function externalIdTaken(db: Database, orgId: string, externalId: string, exceptCouponId: string | null): Promise<boolean> {
  const { coupons } = db.tables;
  const [row] = await db
    .select({ id: coupons.id })
    .from(coupons)
    .where(and(eq(coupons.orgId, orgId), eq(coupons.externalId, externalId)))
    .limit(1);
  return row !== undefined && row.id !== exceptCouponId;
}

export async function codeInUse(db: Database, orgId: string, code: string): Promise<boolean> {
  const { coupons, poolCodes, codeSpaces } = db.tables;
  const [asCommon] = await db
    .select({ id: coupons.id })
    .from(coupons)
    .where(and(eq(coupons.orgId, orgId), eq(coupons.codeValue, code)))
    .limit(1);
  if (asCommon) return true;
  const [inPool] = await db
    .select({ id: poolCodes.id })
    .from(poolCodes)
    .innerJoin(codeSpaces, eq(codeSpaces.id, poolCodes.spaceId))
    .where(and(eq(codeSpaces.orgId, orgId), eq(poolCodes.code, code)))
    .limit(1);
  return inPool !== undefined;
}

async function freshCommonCode(db: Database, orgId: string, settings: CouponSettings): Promise<string> {
  const ean13 = settings.redeemPage.codeDisplay === 'ean13';
  for (;;) {
    const [code] = ean13 ? randomCodes(1, 'numeric', 12) : randomCodes(1, 'alphanumeric', 10);
    if (!(await codeInUse(db, orgId, code!))) return code!;
  }
}
