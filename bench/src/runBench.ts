import { fork } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import { measures } from './measures/index';
import type { MeasureResult } from './measure';
import { printTable } from './printTable';

/**
 * `npm run bench [-- id …]`: runs each SPEC §7 measure in its own child process (so peak RSS is its own)
 * and prints the table, then the same as one `BENCH_JSON {…}` line, and writes it to bench/results.json.
 * BENCH_CPU_PROF=<dir> writes a V8 CPU profile of every child there (read with `npm run profile-summary`).
 */
const childEntry = fileURLToPath(new URL('./runMeasure.ts', import.meta.url));
const resultsFile = fileURLToPath(new URL('../results.json', import.meta.url));
const timeoutMs = Number(process.env.BENCH_TIMEOUT_MS ?? 10 * 60_000);

function runChild(id: string): Promise<MeasureResult> {
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`, `--cpu-prof-name=${id}.cpuprofile`] : [];
  const failed = (error: string): MeasureResult => ({ id, name: id, figure: null, unit: '', target: '', pass: false, peakRssMb: null, error });
  return new Promise((resolve) => {
    const child = fork(childEntry, [id], { execArgv: ['--import', import.meta.resolve('tsx'), ...profile], stdio: 'inherit' });
    let result: MeasureResult | undefined;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('message', (message) => (result = message as MeasureResult));
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (timedOut) resolve(failed(`timed out after ${timeoutMs / 1000} s (BENCH_TIMEOUT_MS)`));
      else resolve(result ?? failed(signal ? `killed by ${signal}` : `exited with code ${code} before reporting`));
    });
  });
}

const wanted = process.argv.slice(2);
const selected = wanted.length ? measures.filter((m) => wanted.includes(m.id)) : measures;
if (wanted.length && selected.length !== wanted.length) {
  console.error(`unknown measure; known: ${measures.map((m) => m.id).join(', ')}`);
  process.exit(2);
}

// The machine may be shared: the 1-minute load average when the run started says how busy it was.
const machine = { node: process.version, cpus: os.availableParallelism(), platform: `${os.platform()} ${os.arch()}`, loadAverage: os.loadavg()[0]!.toFixed(2) };
const results: MeasureResult[] = [];
for (const { id } of selected) {
  process.stderr.write(`running ${id}…\n`);
  results.push(await runChild(id));
}

console.log(printTable(results));
console.log(`node ${machine.node}, ${machine.cpus} cpus, load average ${machine.loadAverage} at start`);
console.log(`BENCH_JSON ${JSON.stringify({ machine, results })}`);
writeFileSync(resultsFile, `${JSON.stringify({ at: new Date().toISOString(), machine, results }, null, 2)}\n`);
console.log(`written to ${resultsFile}`);
// A missed target is reported, not fatal; a measure that crashed is.
process.exitCode = results.some((r) => r.error) ? 1 : 0;
