import type { UsageExpiry } from '../couponSchema';

/**
 * A small reference model of SPEC §2.3 (lifecycle) and §2.4 (rules), written from the spec and not
 * from the engine, so a randomized test can check every engine answer against it. Times are epoch
 * ms; ids and tokens are whatever the engine chose (the model decides everything else).
 */

export type ModelStatus = 'sent' | 'opened' | 'redeemed' | 'verified' | 'expired' | 'revoked';
export type Expected<T> = { ok: true; value: T } | { ok: false; reason: string };

export interface ModelCoupon {
  id: string;
  type: 'common' | 'unique';
  commonCode: string | null;
  startsAt: number;
  endsAt: number | null;
  totalLimit: number | null;
  perCustomerLimit: number | null;
  active: boolean;
  revoked: boolean;
  usageExpiry: UsageExpiry;
  /** unique coupons: every code in the pool, and the ones already handed out */
  pool: string[];
  taken: Set<string>;
}

export interface ModelRecord {
  id: string;
  couponId: string;
  customerId: string;
  token: string;
  idempotencyKey: string | null;
  /** the status the last step gave it; `statusAt` adds expiry, which needs no step */
  status: ModelStatus;
  code: string | null;
  sentAt: number;
  openedAt: number | null;
  redeemedAt: number | null;
  verifiedAt: number | null;
  revokedAt: number | null;
  expiresAt: number | null;
}

export type RevokeScope = { scope: 'coupon' } | { scope: 'unredeemed' } | { scope: 'customers'; customerIds: string[] };

const dayMs = 24 * 60 * 60 * 1000;
const ok = <T>(value: T): Expected<T> => ({ ok: true, value });
const isLive = (status: ModelStatus) => status === 'sent' || status === 'opened' || status === 'redeemed';

export class CouponModel {
  readonly coupons = new Map<string, ModelCoupon>();
  readonly records: ModelRecord[] = [];
  /** SPEC §2.4: every failed attempt is an audit event; counted here as `action:reason` */
  readonly refusals = new Map<string, number>();

  addCoupon(coupon: Omit<ModelCoupon, 'pool' | 'taken' | 'revoked'>): ModelCoupon {
    const added = { ...coupon, revoked: false, pool: [], taken: new Set<string>() };
    this.coupons.set(coupon.id, added);
    return added;
  }

  coupon(id: string): ModelCoupon {
    const coupon = this.coupons.get(id);
    if (!coupon) throw new Error(`model: unknown coupon ${id}`);
    return coupon;
  }

  /** §2.3: a live record whose usable time has passed is expired, whoever looks at it. */
  statusAt(record: ModelRecord, now: number): ModelStatus {
    return isLive(record.status) && record.expiresAt !== null && record.expiresAt <= now ? 'expired' : record.status;
  }

  /** §2.1 usageExpiry: how long a record stays usable, always capped by the period's end. */
  usableUntil(coupon: ModelCoupon, sentAt: number, redeemedAt: number | null): number | null {
    let until = coupon.endsAt ?? Infinity;
    const expiry = coupon.usageExpiry;
    if (expiry.type === 'days_after_sent') until = Math.min(until, sentAt + expiry.days * dayMs);
    if (expiry.type === 'days_after_redeemed' && redeemedAt !== null) until = Math.min(until, redeemedAt + expiry.days * dayMs);
    return until === Infinity ? null : until;
  }

  /** A redemption for the limits is a record that reached `redeemed`, whatever came after. */
  redemptions(couponId: string, customerId?: string): number {
    return this.records.filter((r) => r.couponId === couponId && r.redeemedAt !== null && (customerId === undefined || r.customerId === customerId))
      .length;
  }

  freeCodes(coupon: ModelCoupon): string[] {
    return coupon.pool.filter((code) => !coupon.taken.has(code));
  }

  /** §2.4 in its order; `offerExpired` is this record's own usage expiry, which reads as `coupon_expired`. */
  ruleRefusal(coupon: ModelCoupon, customerId: string, now: number, offerExpired = false): string | null {
    if (coupon.revoked) return 'coupon_revoked';
    if (!coupon.active) return 'coupon_inactive';
    if (now < coupon.startsAt) return 'coupon_not_started';
    if ((coupon.endsAt !== null && now >= coupon.endsAt) || offerExpired) return 'coupon_expired';
    if (coupon.perCustomerLimit !== null && this.redemptions(coupon.id, customerId) >= coupon.perCustomerLimit) return 'customer_max_uses_reached';
    if (coupon.totalLimit !== null && this.redemptions(coupon.id) >= coupon.totalLimit) return 'coupon_max_uses_reached';
    if (coupon.type === 'unique' && this.freeCodes(coupon).length === 0) return 'coupon_max_uses_reached';
    return null;
  }

  /** Which record a distribution answers with: an existing one, or `null` when a new one is due. */
  distribute(couponId: string, customerId: string, idempotencyKey: string | null, now: number): Expected<ModelRecord | null> {
    const repeat = idempotencyKey ? this.records.find((r) => r.idempotencyKey === idempotencyKey) : undefined;
    if (repeat) return ok(repeat);
    const reason = this.ruleRefusal(this.coupon(couponId), customerId, now);
    if (reason) return this.refuse('distribute', reason);
    const held = this.records.find(
      (r) => r.couponId === couponId && r.customerId === customerId && ['sent', 'opened'].includes(this.statusAt(r, now)),
    );
    return ok(held ?? null);
  }

  /** The record a distribution made, under the id and token the engine gave it. */
  addRecord(made: { id: string; token: string; couponId: string; customerId: string; idempotencyKey: string | null }, now: number): ModelRecord {
    const record: ModelRecord = {
      ...made,
      status: 'sent',
      code: null,
      sentAt: now,
      openedAt: null,
      redeemedAt: null,
      verifiedAt: null,
      revokedAt: null,
      expiresAt: this.usableUntil(this.coupon(made.couponId), now, null),
    };
    this.records.push(record);
    return record;
  }

  byToken(token: string): ModelRecord | undefined {
    return this.records.find((r) => r.token === token);
  }

  open(token: string, now: number): Expected<ModelRecord> {
    const record = this.byToken(token);
    if (!record) return { ok: false, reason: 'not_found' };
    if (this.statusAt(record, now) === 'sent') Object.assign(record, { status: 'opened', openedAt: now });
    return ok(record);
  }

  /** `pickCode` names the pool code the engine handed out; it must be one of the free ones. */
  redeem(token: string, now: number, pickCode: (free: readonly string[]) => string): Expected<ModelRecord> {
    const record = this.byToken(token);
    if (!record) return { ok: false, reason: 'not_found' };
    if (record.status === 'revoked') return this.refuse('redeem', 'coupon_revoked');
    if (record.redeemedAt !== null) return ok(record); // idempotent: the same code again
    const coupon = this.coupon(record.couponId);
    const reason = this.ruleRefusal(coupon, record.customerId, now, this.statusAt(record, now) === 'expired');
    if (reason) return this.refuse('redeem', reason);
    let code = coupon.commonCode;
    if (coupon.type === 'unique') {
      const free = this.freeCodes(coupon);
      code = pickCode(free);
      if (!free.includes(code)) throw new Error(`engine handed out ${code}, which is not a free code of the pool`);
      coupon.taken.add(code);
    }
    Object.assign(record, {
      status: 'redeemed',
      code,
      redeemedAt: now,
      openedAt: record.openedAt ?? now,
      expiresAt: this.usableUntil(coupon, record.sentAt, now),
    });
    return ok(record);
  }

  /** Verify by redemption id or by code; a common code names no single record (`code_not_unique`). */
  verify(input: { redemptionId: string } | { code: string }, now: number): Expected<ModelRecord> {
    const record =
      'redemptionId' in input ? this.records.find((r) => r.id === input.redemptionId) : this.records.find((r) => r.code === input.code);
    if ('code' in input && [...this.coupons.values()].some((c) => c.commonCode === input.code)) return this.refuse('verify', 'code_not_unique');
    if (!record) return this.refuse('verify', 'not_found');
    const status = this.statusAt(record, now);
    if (record.redeemedAt === null) return this.refuse('verify', 'not_redeemed');
    if (record.verifiedAt !== null) return this.refuse('verify', 'already_verified');
    if (status === 'expired') return this.refuse('verify', 'expired');
    if (status === 'revoked' || this.coupon(record.couponId).revoked) return this.refuse('verify', 'revoked');
    Object.assign(record, { status: 'verified', verifiedAt: now });
    return ok(record);
  }

  /** §2.4 scopes: only records still live are taken; redeemed ones only by `coupon`; verified never. */
  revoke(couponId: string, request: RevokeScope, now: number): Expected<{ revoked: number }> {
    const coupon = this.coupon(couponId);
    if (request.scope === 'coupon') coupon.revoked = true;
    const takes: ModelStatus[] = request.scope === 'coupon' ? ['sent', 'opened', 'redeemed'] : ['sent', 'opened'];
    let revoked = 0;
    for (const record of this.records) {
      if (record.couponId !== couponId || !takes.includes(this.statusAt(record, now))) continue;
      if (request.scope === 'customers' && !request.customerIds.includes(record.customerId)) continue;
      Object.assign(record, { status: 'revoked', revokedAt: now });
      revoked++;
    }
    return ok({ revoked });
  }

  /** §2.1: re-activating is allowed, but a revoked coupon is final. */
  setActive(couponId: string, active: boolean): Expected<ModelCoupon> {
    const coupon = this.coupon(couponId);
    if (coupon.revoked) return { ok: false, reason: 'coupon_revoked' };
    coupon.active = active;
    return ok(coupon);
  }

  /** §2.1: limits may change while the coupon lives; the next redemption is checked against them. */
  setLimits(couponId: string, limits: { totalLimit: number | null; perCustomerLimit: number | null }): Expected<ModelCoupon> {
    const coupon = this.coupon(couponId);
    if (coupon.revoked) return { ok: false, reason: 'coupon_revoked' };
    return ok(Object.assign(coupon, limits));
  }

  /** §2.1: `endsAt` may move later (or to never), never earlier; records still held live longer. */
  changeEnd(couponId: string, endsAt: number | null, now: number): Expected<ModelCoupon> {
    const coupon = this.coupon(couponId);
    if (coupon.revoked) return { ok: false, reason: 'coupon_revoked' };
    if ((endsAt ?? Infinity) < (coupon.endsAt ?? Infinity)) return { ok: false, reason: 'ends_at_shortened' };
    const stillLive = this.records.filter((r) => r.couponId === couponId && isLive(this.statusAt(r, now)));
    coupon.endsAt = endsAt;
    for (const record of stillLive) record.expiresAt = this.usableUntil(coupon, record.sentAt, record.redeemedAt);
    return ok(coupon);
  }

  /** §2.3 record fields as the engine should show them at `now`. */
  view(record: ModelRecord, now: number) {
    const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
    const { id, couponId, customerId, token, code } = record;
    return {
      ...{ id, couponId, customerId, token, code, status: this.statusAt(record, now), sentAt: iso(record.sentAt) },
      ...{ openedAt: iso(record.openedAt), redeemedAt: iso(record.redeemedAt), verifiedAt: iso(record.verifiedAt) },
      ...{ revokedAt: iso(record.revokedAt), expiresAt: iso(record.expiresAt) },
    };
  }

  stats(couponId: string, now: number): Record<ModelStatus, number> {
    const stats = { sent: 0, opened: 0, redeemed: 0, verified: 0, expired: 0, revoked: 0 };
    for (const record of this.records) if (record.couponId === couponId) stats[this.statusAt(record, now)]++;
    return stats;
  }

  private refuse(action: string, reason: string): Expected<never> {
    const key = `${action}:${reason}`;
    this.refusals.set(key, (this.refusals.get(key) ?? 0) + 1);
    return { ok: false, reason };
  }
}
