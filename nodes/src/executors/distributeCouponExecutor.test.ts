import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { offerState } from '@couponflow/coupons';
import { couponInput, expectOk, testWorld, type TestWorld } from '@couponflow/coupons/testing';
import type { DistributeCouponConfig } from '../blocks/distribute_coupon/schema';
import { distributeCouponExecutor, portForReason } from './distributeCouponExecutor';
import type { OutboundMessage, ResumeEvent, StepContext } from './executorTypes';
import { renderTemplate } from './renderTemplate';

let w: TestWorld;
let sent: Array<{ message: OutboundMessage; refusalWakesRun: boolean }>;
let vars: Record<string, string>;
let runId: string;

beforeEach(async () => {
  w = await testWorld();
  w.clock.set('2026-06-01T12:00:00.000Z');
  sent = [];
  vars = {};
  runId = 'run_1';
});
afterEach(() => w.close());

/** The block as the runtime runs it: the real engine, the run's variables kept between steps, sent messages recorded. */
function step(data: Partial<DistributeCouponConfig> & { couponId: string }): StepContext<'distribute_coupon'> {
  return {
    node: { id: 'offer', data: { message: 'Your coupon', buttonTitle: 'Get coupon', ...data } },
    run: { id: runId, orgId: w.orgId, inboxId: 'inb_1', channel: 'webchat', customerId: 'ann', vars },
    services: {
      coupons: w.engine,
      couponsEnabled: async () => true,
      redeemUrl: (token) => `https://shop.test/r/${token}`,
      send: async (message, options) => void sent.push({ message, refusalWakesRun: options?.refusalWakesRun ?? true }),
      offerState: async (recordId, at) => offerState(w.db, w.orgId, recordId, at),
      now: w.clock.now,
      contactTags: async () => [],
      contactAttributes: async () => ({}),
      addTag: async () => {},
      removeTag: async () => {},
    },
    render: async (template) => renderTemplate(template, { vars, customerId: 'ann', tags: () => [] }),
  };
}

const coupon = async (endsAt: string | null) => expectOk(await w.engine.createCoupon(w.orgId, couponInput({ code: { type: 'common' }, activePeriod: { startsAt: '2026-01-01T00:00:00.000Z', endsAt } })));

/** Offers the coupon and keeps the run's variables as the runtime would. */
async function offer(data: Parameters<typeof step>[0]) {
  const result = await distributeCouponExecutor.execute(step(data));
  if (result.kind !== 'wait') throw new Error(`expected a wait, got ${JSON.stringify(result)}`);
  Object.assign(vars, result.vars);
  return result;
}

async function resume(data: Parameters<typeof step>[0], event: ResumeEvent) {
  const result = await distributeCouponExecutor.resume!(step(data), event);
  if (result && 'vars' in result && result.vars) Object.assign(vars, result.vars);
  return result;
}

const check = (name: string, dueAt: string) => ({ kind: 'check', check: name, dueAt: new Date(dueAt) }) as const;

describe('Distribute Coupon: the offer waits, and checks itself later', () => {
  it('waiting at an offer that expires schedules a check at its expiry, and a reminder N hours before when asked', async () => {
    const { id } = await coupon('2026-06-03T12:00:00.000Z');
    const plain = await offer({ couponId: id });
    expect(plain.checks).toEqual([{ check: 'offer_expiry', at: new Date('2026-06-03T12:00:00.000Z') }]);
    expect(sent.map((s) => s.message.type)).toEqual(['offer']);

    vars = {};
    runId = 'run_2';
    const other = await coupon('2026-06-03T12:00:00.000Z');
    const reminded = await offer({ couponId: other.id, reminder: { hoursBefore: 24, message: 'Last day!' } });
    expect(reminded.checks).toEqual([
      { check: 'offer_expiry', at: new Date('2026-06-03T12:00:00.000Z') },
      { check: 'offer_reminder', at: new Date('2026-06-02T12:00:00.000Z') },
    ]);
  });

  it('an offer that never ends schedules nothing; one sent inside the reminder window gets no reminder', async () => {
    expect((await offer({ couponId: (await coupon(null)).id, reminder: { hoursBefore: 1, message: 'Soon gone' } })).checks).toEqual([]);
    vars = {};
    runId = 'run_2';
    const soon = await coupon('2026-06-01T12:30:00.000Z');
    expect((await offer({ couponId: soon.id, reminder: { hoursBefore: 1, message: 'Soon gone' } })).checks).toEqual([{ check: 'offer_expiry', at: new Date('2026-06-01T12:30:00.000Z') }]);
  });

  it('at its expiry the run leaves by coupon_expired with reason coupon_expired', async () => {
    const { id } = await coupon('2026-06-02T00:00:00.000Z');
    await offer({ couponId: id });
    w.clock.set('2026-06-02T00:00:00.000Z');
    expect(await resume({ couponId: id }, check('offer_expiry', '2026-06-02T00:00:00.000Z'))).toEqual({
      kind: 'continue',
      port: 'coupon_expired',
      vars: { 'coupon.reason': 'coupon_expired' },
    });
  });

  it('a check that comes due while the worker’s clock is a little behind still sees the offer as ended', async () => {
    const { id } = await coupon('2026-06-02T00:00:00.000Z');
    await offer({ couponId: id });
    w.clock.set('2026-06-01T23:59:59.900Z');
    expect(await resume({ couponId: id }, check('offer_expiry', '2026-06-02T00:00:00.000Z'))).toMatchObject({ port: 'coupon_expired' });
  });

  it('when endsAt was extended, the expiry check stays and looks again at the new end', async () => {
    const { id } = await coupon('2026-06-02T00:00:00.000Z');
    await offer({ couponId: id });
    expectOk(await w.engine.updateCoupon(w.orgId, id, { activePeriod: { startsAt: '2026-01-01T00:00:00.000Z', endsAt: '2026-06-09T00:00:00.000Z' } }));
    w.clock.set('2026-06-02T00:00:00.000Z');
    expect(await resume({ couponId: id }, check('offer_expiry', '2026-06-02T00:00:00.000Z'))).toEqual({
      kind: 'stay',
      vars: { 'coupon.expiresAt': '2026-06-09T00:00:00.000Z' },
      checks: [{ check: 'offer_expiry', at: new Date('2026-06-09T00:00:00.000Z') }],
    });
  });

  it.each([
    ['the coupon is revoked', () => ({ scope: 'coupon' }), 'coupon_revoked'],
    ['the customer’s offer is revoked', () => ({ scope: 'customers', customerIds: ['ann'] }), 'coupon_revoked'],
  ])('when %s, a check leaves by coupon_expired with reason %s', async (_what, revoke, reason) => {
    const { id } = await coupon(null);
    await offer({ couponId: id });
    expectOk(await w.engine.revoke(w.orgId, id, revoke()));
    expect(await resume({ couponId: id }, check('offer_changed', '2026-06-01T12:00:00.000Z'))).toEqual({ kind: 'continue', port: 'coupon_expired', vars: { 'coupon.reason': reason } });
  });

  it('when the coupon is switched off, reason coupon_inactive; another customer’s revoke changes nothing here', async () => {
    const { id } = await coupon(null);
    await offer({ couponId: id });
    expectOk(await w.engine.revoke(w.orgId, id, { scope: 'customers', customerIds: ['bob'] }));
    expect(await resume({ couponId: id }, check('offer_changed', '2026-06-01T12:00:00.000Z'))).toEqual({ kind: 'stay' });
    expectOk(await w.engine.updateCoupon(w.orgId, id, { active: false }));
    expect(await resume({ couponId: id }, check('offer_changed', '2026-06-01T12:00:00.000Z'))).toEqual({ kind: 'continue', port: 'coupon_expired', vars: { 'coupon.reason': 'coupon_inactive' } });
  });

  it('a redeemed offer is left to its redemption outcome: the check stays and sends nothing', async () => {
    const { id } = await coupon('2026-06-02T00:00:00.000Z');
    await offer({ couponId: id, reminder: { hoursBefore: 6, message: 'Hurry' } });
    expectOk(await w.engine.redeem(new URL(vars['coupon.redeemUrl']!).pathname.split('/').pop()!));
    w.clock.set('2026-06-01T18:00:00.000Z');
    expect(await resume({ couponId: id, reminder: { hoursBefore: 6, message: 'Hurry' } }, check('offer_reminder', '2026-06-01T18:00:00.000Z'))).toEqual({ kind: 'stay' });
    expect(sent).toHaveLength(1);
  });
});

describe('Distribute Coupon: the expiry reminder', () => {
  const reminder = { hoursBefore: 6, message: 'Hurry {{contact.id}}, it ends {{coupon.expiresAt}}' };

  it('goes out once, with the redeem button, and its refusal does not end the wait', async () => {
    const { id } = await coupon('2026-06-02T00:00:00.000Z');
    await offer({ couponId: id, reminder });
    w.clock.set('2026-06-01T18:00:00.000Z');
    expect(await resume({ couponId: id, reminder }, check('offer_reminder', '2026-06-01T18:00:00.000Z'))).toMatchObject({ kind: 'stay', vars: { 'coupon.remindedAt': '2026-06-01T18:00:00.000Z' } });
    expect(sent[1]).toEqual({
      message: { type: 'text', text: 'Hurry ann, it ends 2026-06-02T00:00:00.000Z', buttons: [{ title: 'Get coupon', url: vars['coupon.redeemUrl'] }] },
      refusalWakesRun: false,
    });
    // The same check delivered again sends nothing more.
    expect(await resume({ couponId: id, reminder }, check('offer_reminder', '2026-06-01T18:00:00.000Z'))).toEqual({ kind: 'stay' });
    expect(sent).toHaveLength(2);
  });

  it('moves with an extended expiry instead of going out early', async () => {
    const { id } = await coupon('2026-06-02T00:00:00.000Z');
    await offer({ couponId: id, reminder });
    expectOk(await w.engine.updateCoupon(w.orgId, id, { activePeriod: { startsAt: '2026-01-01T00:00:00.000Z', endsAt: '2026-06-05T00:00:00.000Z' } }));
    w.clock.set('2026-06-01T18:00:00.000Z');
    expect(await resume({ couponId: id, reminder }, check('offer_reminder', '2026-06-01T18:00:00.000Z'))).toMatchObject({
      kind: 'stay',
      checks: [{ check: 'offer_reminder', at: new Date('2026-06-04T18:00:00.000Z') }],
    });
    expect(sent).toHaveLength(1);
  });
});

describe('Distribute Coupon: redemption outcomes', () => {
  it('maps a redemption and its refusals onto the ports, with the precise reason', async () => {
    const { id } = await coupon(null);
    await offer({ couponId: id });
    expect(await resume({ couponId: id }, { kind: 'redemption', outcome: 'redeemed', code: 'SUMMER10' })).toEqual({
      kind: 'continue',
      port: 'redeemed',
      vars: { 'coupon.code': 'SUMMER10', 'coupon.reason': '' },
    });
    expect(await resume({ couponId: id }, { kind: 'redemption', outcome: 'coupon_max_uses_reached' })).toMatchObject({ port: 'coupon_max_uses_reached' });
    expect(await resume({ couponId: id }, { kind: 'delivery_failed', reason: 'outside_messaging_window' })).toMatchObject({ port: 'error', vars: { 'coupon.reason': 'outside_messaging_window' } });
    expect(await resume({ couponId: id }, { kind: 'reply', text: 'hi' })).toBeNull();
  });
});

describe('the Distribute Coupon block leaves by one of its five ports, whatever the engine answers', () => {
  it('sends the audience and issuing refusals out by the limit ports', async () => {
    expect(portForReason('customer_not_eligible')).toBe('customer_max_uses_reached');
    expect(portForReason('customer_max_issued_reached')).toBe('customer_max_uses_reached');
    expect(portForReason('coupon_max_issued_reached')).toBe('coupon_max_uses_reached');
  });

  it('keeps the spec’s reasons where they were', async () => {
    expect(['coupon_revoked', 'coupon_inactive', 'coupon_not_started', 'coupon_expired'].map(portForReason)).toEqual(Array(4).fill('coupon_expired'));
    expect(portForReason('customer_max_uses_reached')).toBe('customer_max_uses_reached');
    expect(portForReason('coupon_max_uses_reached')).toBe('coupon_max_uses_reached');
    expect(portForReason('unexpected_error')).toBe('error');
  });
});
