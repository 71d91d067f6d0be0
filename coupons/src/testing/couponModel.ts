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
  /** issue 10: redemption opens this many days after sending */
  redeemableAfterDays: number | null;
  /** issue 10: hours between one customer's redemptions */
  minHoursBetweenRedemptions: number | null;
  /** issue 10: days (0 = Monday) and minutes of the local day [from, to), local = UTC + `localOffsetMinutes` */
  window: { days: number[]; from: number; to: number } | null;
  /** issue 10: only these customers may be offered it (a list, or the customers carrying the tag) */
  audience: Set<string> | null;
  maxIssuedTotal: number | null;
  maxIssuedPerCustomer: number | null;
  lowStockThreshold: number | null;
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
  reversedAt: number | null;
  expiresAt: number | null;
}

export type RevokeScope = { scope: 'coupon' } | { scope: 'unredeemed' } | { scope: 'customers'; customerIds: string[] };

const minuteMs = 60 * 1000;
const hourMs = 60 * minuteMs;
const dayMs = 24 * hourMs;
const ok = <T>(value: T): Expected<T> => ({ ok: true, value });
const isLive = (status: ModelStatus) => status === 'sent' || status === 'opened' || status === 'redeemed';

export class CouponModel {
  /** the organisation's time zone, as a fixed offset from UTC (the test uses a zone without DST) */
  constructor(readonly localOffsetMinutes = 0) {}

  readonly coupons = new Map<string, ModelCoupon>();
  readonly records: ModelRecord[] = [];
  /** SPEC §2.4: every failed attempt is an audit event; counted here as `action:reason` */
  readonly refusals = new Map<string, number>();

  addCoupon(coupon: Omit<ModelCoupon, 'pool' | 'taken' | 'revoked'>): ModelCoupon {
    // (the restrictions of issue 10 come in with the coupon)
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

  /**
   * Which records a distribution may answer with: the repeat of its key (of this coupon only), the
   * customer's open offers (any of them; two only after a reversal), or `[]` when a new one is due.
   */
  distribute(couponId: string, customerId: string, idempotencyKey: string | null, now: number): Expected<ModelRecord[]> {
    const repeat = idempotencyKey ? this.records.find((r) => r.couponId === couponId && r.idempotencyKey === idempotencyKey) : undefined;
    if (repeat) return ok([repeat]);
    const coupon = this.coupon(couponId);
    const rule = this.ruleRefusal(coupon, customerId, now);
    const periodRules = ['coupon_revoked', 'coupon_inactive', 'coupon_not_started', 'coupon_expired'];
    if (rule && periodRules.includes(rule)) return this.refuse('distribute', rule);
    if (coupon.audience && !coupon.audience.has(customerId)) return this.refuse('distribute', 'customer_not_eligible');
    if (rule) return this.refuse('distribute', rule);
    const held = this.records.filter((r) => r.couponId === couponId && r.customerId === customerId && ['sent', 'opened'].includes(this.statusAt(r, now)));
    if (held.length) return ok(held);
    const issued = (customer?: string) => this.records.filter((r) => r.couponId === couponId && (customer === undefined || r.customerId === customer)).length;
    if (coupon.maxIssuedPerCustomer !== null && issued(customerId) >= coupon.maxIssuedPerCustomer) return this.refuse('distribute', 'customer_max_issued_reached');
    if (coupon.maxIssuedTotal !== null && issued() >= coupon.maxIssuedTotal) return this.refuse('distribute', 'coupon_max_issued_reached');
    return ok([]);
  }

  /** Issue 10's timing restrictions, after §2.4's rules: they hold a redemption back, the offer stays held. */
  timingRefusal(coupon: ModelCoupon, record: ModelRecord, now: number): string | null {
    if (coupon.redeemableAfterDays !== null && now < record.sentAt + coupon.redeemableAfterDays * dayMs) return 'not_yet_redeemable';
    if (coupon.minHoursBetweenRedemptions !== null) {
      const times = this.records.filter((r) => r.couponId === coupon.id && r.customerId === record.customerId && r.redeemedAt !== null).map((r) => r.redeemedAt!);
      if (times.length && now < Math.max(...times) + coupon.minHoursBetweenRedemptions * hourMs) return 'redemption_too_soon';
    }
    if (coupon.window) {
      const local = now + this.localOffsetMinutes * minuteMs;
      const day = (Math.floor(local / dayMs) + 3) % 7; // 1970-01-01 was a Thursday; 0 = Monday
      const minute = Math.floor((local % dayMs) / minuteMs);
      if (!coupon.window.days.includes(day) || minute < coupon.window.from || minute >= coupon.window.to) return 'outside_redemption_window';
    }
    return null;
  }

  /** An admin reverses a redemption: back to `sent` or `revoked`, uncounted; a unique code stays out of the pool. */
  reverse(couponId: string, recordId: string, to: 'sent' | 'revoked', now: number): Expected<ModelRecord> {
    const record = this.records.find((r) => r.id === recordId && r.couponId === couponId);
    if (!record) return { ok: false, reason: 'not_found' };
    if (record.redeemedAt === null) return this.refuse('reverse', 'not_redeemed');
    const coupon = this.coupon(couponId);
    if (to === 'sent' && coupon.revoked) return this.refuse('reverse', 'coupon_revoked');
    Object.assign(record, {
      status: to,
      code: null,
      redeemedAt: null,
      verifiedAt: null,
      reversedAt: now,
      revokedAt: to === 'revoked' ? now : null,
      expiresAt: to === 'sent' ? this.usableUntil(coupon, record.sentAt, null) : record.expiresAt,
    });
    return ok(record);
  }

  /** Stock left (free codes and/or redemptions under totalLimit, the smaller) and whether it is below the threshold. */
  stock(couponId: string): { left: number | null; low: boolean } {
    const coupon = this.coupon(couponId);
    const bounds: Array<[number, number]> = [];
    if (coupon.type === 'unique') bounds.push([this.freeCodes(coupon).length, coupon.pool.length - (coupon.taken.size - this.redemptions(couponId))]);
    if (coupon.totalLimit !== null) bounds.push([coupon.totalLimit - this.redemptions(couponId), coupon.totalLimit]);
    if (!bounds.length) return { left: null, low: false };
    const [left, capacity] = bounds.reduce((a, b) => (b[0] < a[0] ? b : a));
    const threshold = coupon.lowStockThreshold ?? Math.ceil(capacity / 10);
    return { left: Math.max(0, left), low: Math.max(0, left) < threshold };
  }

  /** The record a distribution made, under the id and token the engine gave it. */
  // (issue 10 adds reversedAt; a new record has none)
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
      reversedAt: null,
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
    const reason = this.ruleRefusal(coupon, record.customerId, now, this.statusAt(record, now) === 'expired') ?? this.timingRefusal(coupon, record, now);
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
  setLimits(
    couponId: string,
    limits: Partial<Pick<ModelCoupon, 'totalLimit' | 'perCustomerLimit' | 'maxIssuedTotal' | 'maxIssuedPerCustomer'>>,
  ): Expected<ModelCoupon> {
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
      ...{ revokedAt: iso(record.revokedAt), expiresAt: iso(record.expiresAt), reversedAt: iso(record.reversedAt) },
    };
  }

  /** Issue 10's funnel: records that reached each step (a reversal undoes redeemed and verified), plus the current ends. */
  stats(couponId: string, now: number): Record<ModelStatus, number> {
    const stats = { sent: 0, opened: 0, redeemed: 0, verified: 0, expired: 0, revoked: 0 };
    for (const record of this.records) {
      if (record.couponId !== couponId) continue;
      stats.sent++;
      if (record.openedAt !== null) stats.opened++;
      if (record.redeemedAt !== null) stats.redeemed++;
      if (record.verifiedAt !== null) stats.verified++;
      const status = this.statusAt(record, now);
      if (status === 'expired' || status === 'revoked') stats[status]++;
    }
    return stats;
  }

  private refuse(action: string, reason: string): Expected<never> {
    const key = `${action}:${reason}`;
    this.refusals.set(key, (this.refusals.get(key) ?? 0) + 1);
    return { ok: false, reason };
  }
}
