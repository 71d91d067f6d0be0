import { fork } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sqliteCommits, type DatabaseDialect } from '@couponflow/db';
import { benchWorld, expectOk, median, openEndedPeriod, rssSplitMb } from '../benchKit';
import { runCycleLanes, type LaneResult } from '../cycles/cycleLanes';
import type { Measure, Outcome } from '../measure';

const cycles = Number(process.env.BENCH_CYCLES ?? 150_000);
/** Each timed run stops at this budget (or at BENCH_CYCLES) and reports its rate. */
const budgetMs = Number(process.env.BENCH_CYCLE_SECONDS ?? 3) * 1000;
/**
 * Timed runs per row: the figure is their median. The machine's speed drifts by ±15% within a
 * minute: with five short runs, one slow patch moves the median less than with three long ones.
 */
const runs = 5;
/** Customers in flight at once, as a busy server has them. */
const lanes = Number(process.env.BENCH_CYCLE_LANES ?? 64);
/**
 * The warm-up runs for this long: until the JIT has compiled the hot paths and the previous row's
 * (or the pool's) writes have left the disk and the log, which a few thousand cycles did not cover:
 * the first timed run after them was the slowest of three in every row.
 */
const warmUpMs = 2_000;
const warmUpMaxCycles = 60_000;
// cycles whose statements the floor replays
const floorCycles = 10_000;

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
        const maxCycles = backend === 'sqlite' ? cycles : 20_000;
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

const processes = 2;

/**
 * The same cycles from 2 processes on one SQLite file (common code): each process has its own
 * lanes and its own customers; the figure is both processes' cycles/s summed.
 */
export const twoProcessCycles: Measure = {
  name: `distribute + redeem cycles, SQLite, ${processes} processes on one file (${lanes} in flight each)`,
  unit: 'cycles/s',
  target: { atLeast: 20_000 },
  async run(): Promise<Outcome> {
    const world = await benchWorld('sqlite');
    const children = Array.from({ length: processes }, () =>
      fork(fileURLToPath(new URL('../cycles/cycleProcess.ts', import.meta.url)), [], { execArgv: ['--import', import.meta.resolve('tsx')], stdio: 'inherit' }),
    );
    try {
      const { engine, orgId } = world;
      const coupon = expectOk(await engine.createCoupon(orgId, { name: 'Bench 2p', code: { type: 'common', value: 'BENCH10' }, activePeriod: openEndedPeriod(), totalLimit: 1_000_000, perCustomerLimit: 1 }));
      type Reply = { type: 'ready' } | { type: 'failed'; error: string } | { type: 'done'; result: LaneResult; commits: { commits: number; transactions: number; busyWaits: number }; peakRssMb: number };
      const reply = (child: (typeof children)[number]) => new Promise<Reply>((resolve, reject) => {
        child.once('message', (m) => ((m as Reply).type === 'failed' ? reject(new Error((m as { error: string }).error)) : resolve(m as Reply)));
        child.once('exit', (code) => reject(new Error(`a cycle process exited with ${code}`)));
      });
      const url = `file:${join(world.dir, 'bench.db')}`;
      const ready = children.map(reply);
      children.forEach((child, i) => child.send({ type: 'go', url, options: { orgId, couponId: coupon.id, customerPrefix: `p${i}-`, lanes, maxCycles: cycles, budgetMs } }));
      await Promise.all(ready);
      // Each run starts both processes together; the figure is the median run's cycles/s, both summed.
      // The first run is the warm-up (as the one-process rows have theirs): it is not timed.
      const timed: Array<Array<Extract<Reply, { type: 'done' }>>> = [];
      let warmUpCycles = 0;
      for (let i = -1; i < runs; i++) {
        const finished = children.map(reply);
        children.forEach((child) => child.send({ type: 'start' }));
        const results = (await Promise.all(finished)) as Array<Extract<Reply, { type: 'done' }>>;
        if (i >= 0) timed.push(results);
        else warmUpCycles = results.reduce((sum, r) => sum + r.result.cycles, 0);
      }
      const done = timed.flat().reduce((sum, r) => sum + r.result.cycles, 0) + warmUpCycles;
      const stats = expectOk(await engine.getCoupon(orgId, coupon.id));
      if (stats.redeemedCount !== done) throw new Error(`redeemed ${stats.redeemedCount}, expected ${done}`);
      const rates = timed.map((results) => Math.round(results.reduce((sum, r) => sum + r.result.cycles / r.result.seconds, 0)));
      const results = timed[rates.indexOf(median(rates))]!;
      const details: Record<string, number | string> = { runs: `median of ${runs} timed runs of ${budgetMs / 1000} s after a warm-up run of ${warmUpCycles} cycles`, cyclesPerSecondByRun: rates.join(' / ') };
      results.forEach((r, i) => {
        details[`p${i}CyclesPerSecond`] = Math.round(r.result.cycles / r.result.seconds);
        details[`p${i}CpuUsPerCycle`] = r.result.cpuUsPerCycle;
        details[`p${i}TransactionsPerCommit`] = Math.round((r.commits.transactions / Math.max(1, r.commits.commits)) * 10) / 10;
        details[`p${i}BusyWaits`] = r.commits.busyWaits;
        details[`p${i}PeakRssMb`] = r.peakRssMb;
      });
      return { figure: median(rates), details: { cycles: done, ...details } };
    } finally {
      for (const child of children) child.kill();
      await world.close();
    }
  },
};

export const commonCodeCycles = distributeRedeem('common', 'sqlite');
export const uniqueCodeCycles = distributeRedeem('unique', 'sqlite');
export const commonCodeCyclesPostgres = distributeRedeem('common', 'postgres');
export const uniqueCodeCyclesPostgres = distributeRedeem('unique', 'postgres');
