import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A copy of a migrations folder as it was at release `lastIndex` (its journal cut there), for
 * upgrade tests: migrate a database with it, write what that release wrote, then open it today.
 * Answers the copy's path and what removes it.
 */
export function migrationsAsOf(folder: string, lastIndex: number): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), 'couponflow-migrations-'));
  cpSync(folder, path, { recursive: true });
  const journalFile = join(path, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as { entries: Array<{ idx: number }> };
  journal.entries = journal.entries.filter((entry) => entry.idx <= lastIndex);
  writeFileSync(journalFile, JSON.stringify(journal));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}
