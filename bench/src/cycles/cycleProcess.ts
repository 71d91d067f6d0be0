import { createCouponEngine } from '@couponflow/coupons';
import { connectDatabase, sqliteCommits } from '@couponflow/db';
import { vmHwmMb } from '../benchKit';
import { StatementRecorder } from '../floors/statementReplay';
import { runCycleLanes, type LaneOptions } from './cycleLanes';

/**
 * One of the processes of the "2 processes on one database file" row: opens the shared SQLite file
 * as a running server does (WAL checkpoints in a thread of its own), waits for `go`, then runs its
 * lanes at each `start` (so every process starts together) and reports each run, with its commits
 * and its peak RSS so far. For the row's floor it then records the statements of cycles of its own
 * (`record`), opens the parent's snapshot with plain better-sqlite3 (`openReplay`) and replays them
 * on it (`replay`, sent to every process together).
 */
type Message =
  | { type: 'go'; url: string; options: LaneOptions }
  | { type: 'start' }
  | { type: 'record'; maxCycles: number }
  | { type: 'openReplay'; path: string }
  | { type: 'replay' };

const send = (message: unknown) => process.send!(message);
const failed = (error: unknown) => send({ type: 'failed', error: (error as Error).stack ?? String(error) });

process.once('message', async (go: Message) => {
  if (go.type !== 'go') return failed(new Error(`expected go, got ${go.type}`));
  try {
    const { db } = await connectDatabase({ url: go.url, checkpointInBackground: true });
    // Before the engine prepares anything, so that every statement it runs is seen.
    const recorder = new StatementRecorder(db.$client);
    const engine = createCouponEngine({ db });
    let replay: ReturnType<StatementRecorder['openReplay']> | undefined;
    let run = 0;
    const cycles = (maxCycles: number, budgetMs: number) =>
      runCycleLanes(engine, { ...go.options, maxCycles, budgetMs, customerPrefix: `${go.options.customerPrefix}run${run++}-` });
    process.on('message', async (message: Message) => {
      try {
        if (message.type === 'start') {
          const before = sqliteCommits(db);
          const result = await cycles(go.options.maxCycles, go.options.budgetMs);
          const after = sqliteCommits(db);
          const commits = { commits: after.commits - before.commits, transactions: after.transactions - before.transactions, busyWaits: after.busyWaits - before.busyWaits };
          send({ type: 'done', result, commits, peakRssMb: vmHwmMb() });
        } else if (message.type === 'record') {
          recorder.start();
          const result = await cycles(message.maxCycles, 60_000);
          recorder.stop();
          send({ type: 'recorded', cycles: result.cycles, statements: recorder.statementCount });
        } else if (message.type === 'openReplay') {
          replay = recorder.openReplay(message.path);
          send({ type: 'replayReady' });
        } else if (message.type === 'replay') {
          const timing = replay!.run();
          replay!.close();
          send({ type: 'replayed', ...timing });
        }
      } catch (error) {
        failed(error);
      }
    });
    send({ type: 'ready' });
  } catch (error) {
    failed(error);
  }
});
