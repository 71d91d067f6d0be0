/** How the distribute + redeem rows run their cycles (one process, two processes, either backend). */

/** Each timed run stops at this many cycles (or at its time budget). */
export const maxCyclesPerRun = Number(process.env.BENCH_CYCLES ?? 150_000);
/** Each timed run stops at this budget (or at `maxCyclesPerRun`) and reports its rate. */
export const budgetMs = Number(process.env.BENCH_CYCLE_SECONDS ?? 3) * 1000;
/**
 * Timed runs per row: the figure is their median. The machine's speed drifts by ±15% within a
 * minute: with five short runs, one slow patch moves the median less than with three long ones.
 */
export const runs = 5;
/** Customers in flight at once (per process), as a busy server has them. */
export const lanes = Number(process.env.BENCH_CYCLE_LANES ?? 64);
/** Cycles (per process) whose statements a floor replays. */
export const floorCycles = 10_000;
