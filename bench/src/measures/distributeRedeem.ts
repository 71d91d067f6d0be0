import { performance } from 'node:perf_hooks';
import type { DatabaseDialect } from '@couponflow/db';
import { benchWorld, expectOk, openEndedPeriod, rssSplitMb } from '../benchKit';
import type { Measure } from '../measure';

const cycles = Number(process.env.BENCH_CYCLES ?? 50_000);
/** A far-off engine would take many minutes for all cycles; past this budget the rate so far is reported. */
const budgetMs = Number(process.env.BENCH_CYCLE_SECONDS ?? 60) * 1000;

type CodeKind = 'common' | 'unique';

/**
 * SPEC §7: distribute + redeem cycles, one process, SQLite — ≥ 20,000 /s. Each cycle offers the
 * coupon to a new customer and redeems the record it made, on a file database; only the cycles are timed.
 * The PostgreSQL rows (issue 11; no SPEC target) run the same cycles against a local cluster.
 */
function distributeRedeem(kind: CodeKind, backend: DatabaseDialect): Measure {
  return {
    name: `distribute + redeem cycles, ${backend === 'sqlite' ? 'SQLite' : 'PostgreSQL'} (${kind} code)`,
    unit: 'cycles/s',
    target: backend === 'sqlite' ? { atLeast: 20_000 } : {},
    async run() {
      const world = await benchWorld(backend);
      try {
        const { engine, orgId } = world;
        const coupon = expectOk(
          await engine.createCoupon(orgId, {
            name: `Bench ${kind}`,
            code: kind === 'common' ? { type: 'common', value: 'BENCH10' } : { type: 'unique', length: 12 },
            activePeriod: openEndedPeriod(),
            totalLimit: 1_000_000,
            perCustomerLimit: 1,
          }),
        );
        if (kind === 'unique') expectOk(await engine.generateCodes(orgId, coupon.id, cycles));

        let distributeMs = 0;
        let redeemMs = 0;
        const started = performance.now();
        let done = 0;
        while (done < cycles) {
          if (done % 1000 === 0 && performance.now() - started > budgetMs) break;
          const t0 = performance.now();
          const sent = expectOk(await engine.distribute(orgId, { couponId: coupon.id, customerId: `customer-${done}`, inboxId: 'inbox-bench', channel: 'web' }));
          const t1 = performance.now();
          expectOk(await engine.redeem(sent.record.token));
          redeemMs += performance.now() - t1;
          distributeMs += t1 - t0;
          done++;
        }
        const seconds = (performance.now() - started) / 1000;
        const stats = expectOk(await engine.getCoupon(orgId, coupon.id));
        if (stats.redeemedCount !== done) throw new Error(`redeemed ${stats.redeemedCount}, expected ${done}`);
        return {
          figure: Math.round(done / seconds),
          details: {
            cycles: done,
            ...(done < cycles ? { stoppedAtBudgetSeconds: budgetMs / 1000 } : {}),
            distributeUsPerCall: round((distributeMs * 1000) / done),
            redeemUsPerCall: round((redeemMs * 1000) / done),
            ...rssSplitMb(),
          },
        };
      } finally {
        await world.close();
      }
    },
  };
}

const round = (n: number) => Math.round(n * 10) / 10;

export const commonCodeCycles = distributeRedeem('common', 'sqlite');
export const uniqueCodeCycles = distributeRedeem('unique', 'sqlite');
export const commonCodeCyclesPostgres = distributeRedeem('common', 'postgres');
export const uniqueCodeCyclesPostgres = distributeRedeem('unique', 'postgres');
