/** What a SPEC §7 row is measured against: at most / at least `value` of `unit`, and optionally a memory cap. */
export interface Target {
  atMost?: number;
  atLeast?: number;
  maxRssMb?: number;
  /** latency rows: the 99th percentile answer time, ms */
  maxP99Ms?: number;
}

/** One row of the benchmark table. Each measure runs alone in its own child process. */
export interface Measure {
  name: string;
  unit: string;
  target: Target;
  /** Sets up what it needs (untimed), times the work itself and returns the figure in `unit`. */
  run(): Promise<Outcome>;
}

/** The same work done the plainest way, measured in the same run: what the figure is compared with. */
export interface Floor {
  figure: number;
  /** what the floor is, e.g. "plain better-sqlite3, same statements" */
  of: string;
}

export interface Outcome {
  figure: number;
  floor?: Floor;
  /** latency rows: the 99th percentile, checked against `maxP99Ms` */
  p99Ms?: number;
  /** a few words printed beside the figure, e.g. "p50 4 / p99 12 ms" */
  summary?: string;
  /**
   * Peak RSS of the measured work, when the measure goes on to do more (a floor that holds every
   * statement in memory) after it; otherwise the process's peak at the end is taken.
   */
  peakRssMb?: number;
  /** sub-step timings and sizes, printed under the table and kept in the JSON */
  details?: Record<string, number | string>;
}

export interface MeasureResult {
  id: string;
  name: string;
  figure: number | null;
  unit: string;
  target: string;
  pass: boolean;
  peakRssMb: number | null;
  summary?: string;
  floor?: Floor;
  /** how close the figure comes to its floor (1 = as fast as the plainest way; above 1 = faster) */
  ratio?: number;
  details?: Record<string, number | string>;
  error?: string;
}

/** figure ÷ floor for rates (a unit "…/s"), floor ÷ figure for durations: either way, higher is better. */
export function ratioToFloor(unit: string, figure: number, floor: Floor | undefined): number | undefined {
  if (!floor || !figure || !floor.figure) return undefined;
  const ratio = unit.endsWith('/s') ? figure / floor.figure : floor.figure / figure;
  return Math.round(ratio * 100) / 100;
}

export function describeTarget(target: Target, unit: string): string {
  const parts: string[] = [];
  if (target.atMost !== undefined) parts.push(`≤ ${target.atMost.toLocaleString('en-US')} ${unit}`);
  if (target.atLeast !== undefined) parts.push(`≥ ${target.atLeast.toLocaleString('en-US')} ${unit}`);
  if (target.maxP99Ms !== undefined) parts.push(`p99 ≤ ${target.maxP99Ms} ms`);
  if (target.maxRssMb !== undefined) parts.push(`≤ ${target.maxRssMb} MB RSS`);
  return parts.join(', ');
}

export function meetsTarget(target: Target, figure: number, peakRssMb: number, p99Ms?: number): boolean {
  if (target.maxP99Ms !== undefined && (p99Ms === undefined || p99Ms > target.maxP99Ms)) return false;
  if (target.atMost !== undefined && figure > target.atMost) return false;
  if (target.atLeast !== undefined && figure < target.atLeast) return false;
  if (target.maxRssMb !== undefined && peakRssMb > target.maxRssMb) return false;
  return true;
}
