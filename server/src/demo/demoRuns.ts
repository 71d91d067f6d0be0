import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config';

export interface DemoRun {
  orgId: string;
  createdAt: string;
}

/** `<DATA_DIR>/demo-runs.json`: which demo organisations earlier runs made (ids only, never keys). */
const runsFile = (config: Pick<Config, 'dataDir'>) => join(config.dataDir, 'demo-runs.json');

export function earlierDemoRuns(config: Pick<Config, 'dataDir'>): DemoRun[] {
  try {
    const file = runsFile(config);
    return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as DemoRun[]) : [];
  } catch {
    return [];
  }
}

/** Best effort: a run that cannot write the note still seeded the demo. */
export function rememberDemoRun(config: Pick<Config, 'dataDir'>, earlier: DemoRun[], run: DemoRun): void {
  try {
    mkdirSync(config.dataDir, { recursive: true });
    writeFileSync(runsFile(config), `${JSON.stringify([...earlier, run], null, 2)}\n`);
  } catch {
    // the note only serves the "you ran this before" line
  }
}
