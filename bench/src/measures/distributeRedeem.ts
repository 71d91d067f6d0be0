import { performance } from 'node:perf_hooks';
import { benchWorld, expectOk, openEndedPeriod } from '../benchKit';
import type { Measure } from '../measure';

const cycles = Number(process.env.BENCH_CYCLES ?? 50_000);

type CodeKind = 'common' | 'unique';

/**
 * SPEC §7: distribute + redeem cycles, one process, SQLite — ≥ 20,000 /s. Each cycle offers the
 * coupon to a new customer and redeems the record it made, on a file database; only the cycles are timed.
 */
function distributeRedeem(kind: CodeKind): Measure {
  return {
    name: `distribute + redeem cycles, SQLite (${kind} code)`,
    unit: 'cycles/s',
    target: { atLeast: 20_000 },
    async run() {
      const world = benchWorld();
      try {
        const { engine, orgId } = world;
        const coupon = expectOk(
          engine.createCoupon(orgId, {
            name: `Bench ${kind}`,
            code: kind === 'common' ? { type: 'common', value: 'BENCH10' } : { type: 'unique', length: 12 },
            activePeriod: openEndedPeriod(),
            totalLimit: 1_000_000,
            perCustomerLimit: 1,
          }),
        );
        if (kind === 'unique') expectOk(engine.generateCodes(orgId, coupon.id, cycles));

        let distributeMs = 0;
        let redeemMs = 0;
        const started = performance.now();
        for (let i = 0; i < cycles; i++) {
          const t0 = performance.now();
          const sent = expectOk(engine.distribute(orgId, { couponId: coupon.id, customerId: `customer-${i}`, inboxId: 'inbox-bench', channel: 'web' }));
          const t1 = performance.now();
          expectOk(engine.redeem(sent.record.token));
          redeemMs += performance.now() - t1;
          distributeMs += t1 - t0;
        }
        const seconds = (performance.now() - started) / 1000;
        const stats = expectOk(engine.getCoupon(orgId, coupon.id));
        if (stats.redeemedCount !== cycles) throw new Error(`redeemed ${stats.redeemedCount}, expected ${cycles}`);
        return {
          figure: Math.round(cycles / seconds),
          details: {
            cycles,
            distributeUsPerCall: round((distributeMs * 1000) / cycles),
            redeemUsPerCall: round((redeemMs * 1000) / cycles),
          },
        };
      } finally {
        world.close();
      }
    },
  };
}

const round = (n: number) => Math.round(n * 10) / 10;

export const commonCodeCycles = distributeRedeem('common');
export const uniqueCodeCycles = distributeRedeem('unique');
