import { readdirSync, readFileSync } from 'node:fs';

/** The HTTP processes an app process forked (HTTP_PROCESSES), from /proc; tsx's esbuild service is a child too, and is left out. */
export function httpChildren(pid: number): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        const parent = Number(readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]);
        return parent === pid && readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('server/src/main.ts');
      } catch {
        return false; // gone meanwhile
      }
    })
    .map(Number);
}
