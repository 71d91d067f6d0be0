import { join } from 'node:path';
import { sqliteCommits, type DatabaseDialect } from '@couponflow/db';
import { benchWorld, expectOk, median, openEndedPeriod, rssSplitMb } from '../benchKit';
import { runCycleLanes, type LaneResult } from '../cycles/cycleLanes';
import { budgetMs, floorCycles, lanes, maxCyclesPerRun, runs } from '../cycles/cycleSettings';
import type { Measure } from '../measure';

/**
 * The warm-up runs for this long: until the JIT has compiled the hot paths and the previous row's
 * (or the pool's) writes have left the disk and the log, which a few thousand cycles did not cover:
 * the first timed run after them was the slowest of three in every row.
 */
const warmUpMs = 2_000;
const warmUpMaxCycles = 60_000;

type CodeKind = 'common' | 'unique';

/**
 * SPEC §7: distribute + redeem cycles, one process, SQLite — ≥ 20,000 /s. Each cycle offers the
 * coupon to a new customer and redeems the record it made, on a file database, with `lanes`
 * customers in flight at once; only the cycles are timed, after a warm-up. Floor: plain
 * better-sqlite3 replaying the statements that 10,000 more cycles ran (recorded apart from the
 * timed ones), in the same transactions.
 * The PostgreSQL rows (issue 11; no SPEC target) run the same cycles against a local cluster.
 */
function distributeRedeem(kind: CodeKind, backend: DatabaseDialect): Measure {
  return {
    name: `distribute + redeem cycles, ${backend === 'sqlite' ? 'SQLite' : 'PostgreSQL'} (${kind} code, ${lanes} in flight)`,
    unit: 'cycles/s',
    target: backend === 'sqlite' ? { atLeast: 20_000 } : {},
    async run() {
      const world = await benchWorld(backend, { recordStatements: true });
      try {
        const { engine, orgId, db, recorder } = world;
        const coupon = expectOk(
          await engine.createCoupon(orgId, {
            name: `Bench ${kind}`,
            code: kind === 'common' ? { type: 'common', value: 'BENCH10' } : { type: 'unique', length: 12 },
            activePeriod: openEndedPeriod(),
            totalLimit: 1_000_000,
            perCustomerLimit: 1,
          }),
        );
        // PostgreSQL does some 500 cycles/s: a run never reaches this many there.
        const maxCycles = backend === 'sqlite' ? maxCyclesPerRun : 20_000;
        if (kind === 'unique') expectOk(await engine.generateCodes(orgId, coupon.id, runs * maxCycles + warmUpMaxCycles + floorCycles));
        // The pool is made before the campaign runs: its pages are in the database file, not still
        // being copied out of the log (by the checkpoint thread, during the first timed runs).
        if (backend === 'sqlite') db.$client.pragma('wal_checkpoint(TRUNCATE)');
        const warmUp = await runCycleLanes(engine, { orgId, couponId: coupon.id, customerPrefix: 'warm-', lanes, maxCycles: warmUpMaxCycles, budgetMs: warmUpMs });

        const commitsBefore = backend === 'sqlite' ? sqliteCommits(db) : undefined;
        const timed: LaneResult[] = [];
        for (let i = 0; i < runs; i++) timed.push(await runCycleLanes(engine, { orgId, couponId: coupon.id, customerPrefix: `run${i}-`, lanes, maxCycles, budgetMs }));
        const commitsAfter = backend === 'sqlite' ? sqliteCommits(db) : undefined;
        const rates = timed.map((run) => Math.round(run.cycles / run.seconds));
        const run = timed[rates.indexOf(median(rates))]!;
        // The floor's statements come from cycles of their own: recording them (an object per
        // statement, hundreds of thousands kept) would slow the timed cycles it is compared with.
        recorder?.start(join(world.dir, 'snapshot.db'));
        const recorded = recorder ? await runCycleLanes(engine, { orgId, couponId: coupon.id, customerPrefix: 'floor-', lanes, maxCycles: floorCycles, budgetMs: 60_000 }) : undefined;
        recorder?.stop();

        const stats = expectOk(await engine.getCoupon(orgId, coupon.id));
        const redeemed = timed.reduce((sum, r) => sum + r.cycles, 0) + warmUp.cycles + (recorded?.cycles ?? 0);
        if (stats.redeemedCount !== redeemed) throw new Error(`redeemed ${stats.redeemedCount}, expected ${redeemed}`);
        const commits = commitsBefore && commitsAfter ? commitsAfter.commits - commitsBefore.commits : 0;
        const transactions = commitsBefore && commitsAfter ? commitsAfter.transactions - commitsBefore.transactions : 0;
        const replaySeconds = recorder?.replaySeconds();
        return {
          figure: median(rates),
          ...(replaySeconds && recorded
            ? { floor: { figure: Math.round(recorded.cycles / replaySeconds), of: `plain better-sqlite3 replaying the ${recorder!.statementCount.toLocaleString('en-US')} statements of ${recorded.cycles.toLocaleString('en-US')} more cycles, in the same transactions` } }
            : {}),
          details: {
            runs: `median of ${runs} timed runs of ${budgetMs / 1000} s after ${warmUp.cycles} warm-up cycles`,
            cyclesPerSecondByRun: rates.join(' / '),
            cycles: run.cycles,
            ...(backend === 'sqlite' ? { commits, transactions, transactionsPerCommit: Math.round((transactions / Math.max(1, commits)) * 10) / 10 } : {}),
            cpuUsPerCycle: run.cpuUsPerCycle,
            ...(replaySeconds && recorded ? { floorCpuUsPerCycle: Math.round((recorder!.replayCpuSeconds * 1e7) / recorded.cycles) / 10 } : {}),
            distributeUsPerCall: run.distributeUsPerCall,
            redeemUsPerCall: run.redeemUsPerCall,
            ...rssSplitMb(),
          },
        };
      } finally {
        await world.close();
      }
    },
  };
}

export const commonCodeCycles = distributeRedeem('common', 'sqlite');
export const uniqueCodeCycles = distributeRedeem('unique', 'sqlite');
export const commonCodeCyclesPostgres = distributeRedeem('common', 'postgres');
export const uniqueCodeCyclesPostgres = distributeRedeem('unique', 'postgres');
