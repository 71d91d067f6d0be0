import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { createCouponEngine } from '@couponflow/coupons';
import { couponInput, expectOk } from '@couponflow/coupons/testing';
import { writeTransaction, type Database } from '@couponflow/db';
import { backends } from '@couponflow/db/testing';
import { twoWorkerShop, type Cleanups } from '../testing/twoWorkerShop';
import { applyBroadcastChunk } from '../workers/broadcastWorker';
import { runsWaitingOnCoupon } from '../offers/waitingOffers';
import { applyContactEvent } from './applyContactEvent';

const cleanups: Cleanups = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const at = (x: number) => ({ x, y: 0 });

/** "deal" offers a coupon that may be handed out `limit` times; sold out, the bot says so. */
const offerFlow =
  (limit: number) =>
  async ({ db, orgId }: { db: Database; orgId: string }) => {
    const coupon = expectOk(
      await createCouponEngine({ db }).createCoupon(orgId, couponInput({ maxIssuedTotal: limit, activePeriod: { startsAt: '2020-01-01T00:00:00.000Z', endsAt: null } })),
    );
    return {
      nodes: [
        { id: 'start', type: 'start', position: at(0), data: { trigger: { type: 'keyword', keywords: ['deal'] } } },
        { id: 'offer', type: 'distribute_coupon', position: at(1), data: { couponId: coupon.id, message: 'Your coupon', buttonTitle: 'Get it' } },
        { id: 'gone', type: 'send_message', position: at(2), data: { text: 'Sold out, sorry' } },
      ],
      edges: [
        { id: 'e1', source: 'start', sourceHandle: 'next', target: 'offer' },
        { id: 'e2', source: 'offer', sourceHandle: 'coupon_max_uses_reached', target: 'gone' },
      ],
    };
  };

describe.each(backends)('Distribute Coupon inside a step, on %s', (backend) => {
  it('a broadcast of a coupon that may be handed out 5 times, to 12 contacts in two chunks run by two workers at once: 5 offers, 7 sold out', async () => {
    const s = await twoWorkerShop(backend, cleanups, offerFlow(5));
    const customers = Array.from({ length: 12 }, (_, i) => `guest-${String(i).padStart(2, '0')}`);
    const chunk = (customerIds: string[]) => ({ broadcastId: 'bc_deal', flowId: s.flowId, version: 1, inboxId: s.inboxId, customerIds });
    // The chunks overlap on two contacts (as a retried chunk would), and each worker takes one.
    const [one, two] = await Promise.all([applyBroadcastChunk(s.workers[0], chunk(customers.slice(0, 7))), applyBroadcastChunk(s.workers[1], chunk(customers.slice(5)))]);
    expect(one.failed + two.failed).toBe(0);

    const { flowRuns, redemptionRecords, outbox } = s.db.tables;
    const runs = await s.db.select({ customerId: flowRuns.customerId, status: flowRuns.status, vars: flowRuns.vars }).from(flowRuns).where(eq(flowRuns.broadcastId, 'bc_deal'));
    expect(runs.map((r) => r.customerId).sort()).toEqual(customers);
    const waiting = runs.filter((r) => r.status === 'waiting');
    expect(waiting).toHaveLength(5);
    expect(runs.filter((r) => r.status === 'completed').map((r) => r.vars['coupon.reason'])).toEqual(Array(7).fill('coupon_max_issued_reached'));
    // Each waiting run holds its own record, made in the step's transaction; no record without a run.
    const records = await s.db.select({ id: redemptionRecords.id, customerId: redemptionRecords.customerId }).from(redemptionRecords);
    expect(records.map((r) => r.id).sort()).toEqual(waiting.map((r) => r.vars['coupon.recordId']).sort());
    const payloads = (await s.db.select({ payload: outbox.payload, kind: outbox.kind }).from(outbox)).filter((r) => r.kind === 'message').map((r) => (r.payload as { text: string }).text);
    expect(payloads.filter((text) => text === 'Your coupon')).toHaveLength(5);
    expect(payloads.filter((text) => text === 'Sold out, sorry')).toHaveLength(7);
  });

  it('an engine that loses a lock race (deadlock) makes the step run again, not leave by error; a real failure leaves by error', async () => {
    const s = await twoWorkerShop(backend, cleanups, offerFlow(5));
    const failingWith = (error: Error) => ({
      ...s.workers[0],
      coupons: (db: Database) => ({
        ...createCouponEngine({ db }),
        distribute: async () => {
          throw error;
        },
      }),
    });
    const deadlock = Object.assign(new Error('deadlock detected'), { code: '40P01' });
    const message = (customerId: string) => ({ type: 'message', inboxId: s.inboxId, customerId, eventId: `m-${customerId}`, text: 'deal' }) as const;
    await expect(applyContactEvent(failingWith(deadlock), message('ann'))).rejects.toBe(deadlock);
    expect(await s.runsOf('ann')).toEqual([]);

    expect(await applyContactEvent(failingWith(new Error('disk on fire')), message('bob'))).toBe('started');
    const { flowRuns } = s.db.tables;
    const [run] = await s.db.select({ status: flowRuns.status, vars: flowRuns.vars }).from(flowRuns).where(eq(flowRuns.customerId, 'bob'));
    expect(run).toMatchObject({ status: 'completed', vars: { 'coupon.reason': 'unexpected_error' } });
  });

  it('a contact whose start fails unexpectedly mid-group is marked failed alone; the group’s other contacts get one run, one coupon and one offer each', async () => {
    const s = await twoWorkerShop(backend, cleanups, offerFlow(100));
    // The clock breaks right after Bea's coupon is handed out (the step is past its first writes), every time.
    let breakClock = false;
    const worker = {
      ...s.workers[0],
      coupons: (db: Database) => {
        const engine = createCouponEngine({ db });
        return {
          ...engine,
          distribute: async (...args: Parameters<typeof engine.distribute>) => {
            const result = await engine.distribute(...args);
            breakClock = args[1].customerId === 'bea';
            return result;
          },
        };
      },
      now: () => {
        if (!breakClock) return new Date();
        breakClock = false;
        throw new Error('clock broke');
      },
    };
    const customers = ['abe', 'bea', 'cy', 'dee'];
    const chunk = { broadcastId: 'bc_fail', flowId: s.flowId, version: 1, inboxId: s.inboxId, customerIds: customers };
    expect(await applyBroadcastChunk(worker, chunk)).toEqual({ contacts: 4, failed: 1 });

    const { flowRuns, redemptionRecords, outbox } = s.db.tables;
    const runs = await s.db.select({ customerId: flowRuns.customerId, status: flowRuns.status, endReason: flowRuns.endReason }).from(flowRuns).where(eq(flowRuns.broadcastId, 'bc_fail'));
    expect(runs.sort((a, b) => a.customerId.localeCompare(b.customerId))).toEqual([
      { customerId: 'abe', status: 'waiting', endReason: null },
      { customerId: 'bea', status: 'failed', endReason: 'start_failed: clock broke' },
      { customerId: 'cy', status: 'waiting', endReason: null },
      { customerId: 'dee', status: 'waiting', endReason: null },
    ]);
    const records = await s.db.select({ customerId: redemptionRecords.customerId }).from(redemptionRecords);
    expect(records.map((r) => r.customerId).sort()).toEqual(['abe', 'cy', 'dee']);
    const offers = (await s.db.select({ customerId: outbox.customerId, kind: outbox.kind }).from(outbox)).filter((r) => r.kind === 'message');
    expect(offers.map((r) => r.customerId).sort()).toEqual(['abe', 'cy', 'dee']);

    // The chunk taken again (a retried job) changes nothing.
    expect(await applyBroadcastChunk(s.workers[1], chunk)).toEqual({ contacts: 4, failed: 0 });
    expect(await s.db.select({ id: flowRuns.id }).from(flowRuns).where(eq(flowRuns.broadcastId, 'bc_fail'))).toHaveLength(4);
    expect(await s.db.select({ id: redemptionRecords.id }).from(redemptionRecords)).toHaveLength(3);
  });

  it('a distribution that fails after its first writes, mid-group, leaves by error with nothing of it kept; the others get their offer', async () => {
    const s = await twoWorkerShop(backend, cleanups, offerFlow(100));
    // Bea's distribution writes her record, then fails inside its transaction (as a statement after it would).
    const worker = {
      ...s.workers[0],
      coupons: (db: Database) => {
        const engine = createCouponEngine({ db });
        const failing = (...args: Parameters<typeof engine.distribute>) =>
          writeTransaction(
            db,
            async (tx) => {
              await createCouponEngine({ db: tx }).distribute(...args);
              throw new Error('disk on fire');
            },
            { rerunnable: true },
          );
        return { ...engine, distribute: (...args: Parameters<typeof engine.distribute>) => (args[1].customerId === 'bea' ? failing(...args) : engine.distribute(...args)) };
      },
    };
    const chunk = { broadcastId: 'bc_half', flowId: s.flowId, version: 1, inboxId: s.inboxId, customerIds: ['abe', 'bea', 'cy'] };
    expect(await applyBroadcastChunk(worker, chunk)).toEqual({ contacts: 3, failed: 0 });

    const { flowRuns, redemptionRecords, coupons } = s.db.tables;
    const runs = await s.db.select({ customerId: flowRuns.customerId, status: flowRuns.status, vars: flowRuns.vars }).from(flowRuns).where(eq(flowRuns.broadcastId, 'bc_half'));
    expect(runs.sort((a, b) => a.customerId.localeCompare(b.customerId)).map((r) => [r.customerId, r.status, r.vars['coupon.reason'] ?? null])).toEqual([
      ['abe', 'waiting', null],
      ['bea', 'completed', 'unexpected_error'],
      ['cy', 'waiting', null],
    ]);
    const records = await s.db.select({ customerId: redemptionRecords.customerId }).from(redemptionRecords);
    expect(records.map((r) => r.customerId).sort()).toEqual(['abe', 'cy']);
    const [coupon] = await s.db.select({ issuedCount: coupons.issuedCount }).from(coupons);
    expect(coupon!.issuedCount).toBe(2);
  });

  it('the runs waiting at a coupon’s offers are found inside the transaction about to change the coupon', async () => {
    const s = await twoWorkerShop(backend, cleanups, offerFlow(5));
    for (const customerId of ['ann', 'bob'])
      expect(await applyContactEvent(s.workers[0], { type: 'message', inboxId: s.inboxId, customerId, eventId: `m-${customerId}`, text: 'deal' })).toBe('started');
    const [coupon] = await s.db.select({ id: s.db.tables.coupons.id }).from(s.db.tables.coupons);
    const waiting = await writeTransaction(s.db, (tx) => runsWaitingOnCoupon(tx, s.orgId, coupon!.id));
    expect(waiting.map((w) => w.customerId).sort()).toEqual(['ann', 'bob']);
    expect(await writeTransaction(s.db, (tx) => runsWaitingOnCoupon(tx, s.orgId, coupon!.id, ['bob']))).toEqual([
      expect.objectContaining({ customerId: 'bob', nodeId: 'offer', waitSerial: 1 }),
    ]);
  });
});
