import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchWorld, expectOk, median, openEndedPeriod } from '../benchKit';
import type { LaneResult } from '../cycles/cycleLanes';
import { budgetMs, floorCycles, lanes, maxCyclesPerRun, runs } from '../cycles/cycleSettings';
import { snapshotInto } from '../floors/statementReplay';
import type { Measure, Outcome } from '../measure';

const processes = 2;

type Reply =
  | { type: 'ready' | 'replayReady' }
  | { type: 'done'; result: LaneResult; commits: { commits: number; transactions: number; busyWaits: number }; peakRssMb: number }
  | { type: 'recorded'; cycles: number; statements: number }
  | { type: 'replayed'; seconds: number; cpuSeconds: number };

/** The child's answer to the message just sent it (each message gets one); its exit or failure rejects. */
function reply<T extends Reply['type']>(child: ChildProcess, expected: T): Promise<Extract<Reply, { type: T }>> {
  return new Promise((resolve, reject) => {
    const exited = (code: number | null) => reject(new Error(`a cycle process exited with ${code}`));
    child.once('exit', exited);
    child.once('message', (message: Reply | { type: 'failed'; error: string }) => {
      child.off('exit', exited);
      if (message.type === expected) resolve(message as Extract<Reply, { type: T }>);
      else reject(new Error(message.type === 'failed' ? message.error : `expected ${expected}, got ${message.type}`));
    });
  });
}

/** Sends `message` to every process at once and waits for all their answers. */
function everyProcess<T extends Reply['type']>(children: ChildProcess[], message: { type: string } & Record<string, unknown>, expected: T) {
  const replies = children.map((child) => reply(child, expected));
  for (const child of children) child.send(message);
  return Promise.all(replies);
}

/**
 * The same cycles from 2 processes on one SQLite file (common code): each process has its own
 * lanes and its own customers; the figure is both processes' cycles/s summed. Floor: plain
 * better-sqlite3 in 2 processes on one copy of the file, each replaying the statements of 10,000
 * more cycles of its process (recorded apart from the timed ones), in the same transactions, with
 * SQLite's own busy handler waiting for the write lock.
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
      const url = `file:${join(world.dir, 'bench.db')}`;
      const ready = children.map((child) => reply(child, 'ready'));
      children.forEach((child, i) => child.send({ type: 'go', url, options: { orgId, couponId: coupon.id, customerPrefix: `p${i}-`, lanes, maxCycles: maxCyclesPerRun, budgetMs } }));
      await Promise.all(ready);
      // Each run starts both processes together; the figure is the median run's cycles/s, both summed.
      // The first run is the warm-up (as the one-process rows have theirs): it is not timed.
      const timed: Array<Array<Extract<Reply, { type: 'done' }>>> = [];
      let warmUpCycles = 0;
      for (let i = -1; i < runs; i++) {
        const results = await everyProcess(children, { type: 'start' }, 'done');
        if (i >= 0) timed.push(results);
        else warmUpCycles = results.reduce((sum, r) => sum + r.result.cycles, 0);
      }

      // The floor: a copy of the file as it is now, the statements of more cycles recorded in each
      // process (on the real file, as the timed ones ran), then replayed on the copy by both at once.
      const snapshot = join(world.dir, 'snapshot.db');
      snapshotInto(world.db.$client, snapshot);
      const recorded = await everyProcess(children, { type: 'record', maxCycles: floorCycles }, 'recorded');
      await everyProcess(children, { type: 'openReplay', path: snapshot }, 'replayReady');
      const replayed = await everyProcess(children, { type: 'replay' }, 'replayed');
      const floorCyclesDone = recorded.reduce((sum, r) => sum + r.cycles, 0);

      const done = timed.flat().reduce((sum, r) => sum + r.result.cycles, 0) + warmUpCycles + floorCyclesDone;
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
      replayed.forEach((r, i) => (details[`p${i}FloorSeconds`] = Math.round(r.seconds * 1000) / 1000));
      details.floorCpuUsPerCycle = Math.round((replayed.reduce((sum, r) => sum + r.cpuSeconds, 0) * 1e7) / floorCyclesDone) / 10;
      const statements = recorded.reduce((sum, r) => sum + r.statements, 0);
      return {
        figure: median(rates),
        floor: {
          figure: Math.round(floorCyclesDone / Math.max(...replayed.map((r) => r.seconds))),
          of: `plain better-sqlite3 in ${processes} processes on one copy of the file, together replaying the ${statements.toLocaleString('en-US')} statements of ${floorCyclesDone.toLocaleString('en-US')} more cycles (each its own process's, in the same transactions; SQLite's busy handler waits for the write lock)`,
        },
        details: { cycles: done, ...details },
      };
    } finally {
      for (const child of children) child.kill();
      await world.close();
    }
  },
};
