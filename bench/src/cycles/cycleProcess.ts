import { createCouponEngine } from '@couponflow/coupons';
import { connectDatabase, sqliteCommits } from '@couponflow/db';
import { vmHwmMb } from '../benchKit';
import { runCycleLanes, type LaneOptions } from './cycleLanes';

/**
 * One of the processes of the "2 processes on one database file" row: opens the shared SQLite file
 * as a running server does (WAL checkpoints in a thread of its own), waits for `go`, then runs its
 * lanes at each `start` (so every process starts together) and reports each run, with its commits
 * and its peak RSS so far.
 */
interface Go {
  type: 'go';
  url: string;
  options: LaneOptions;
}

const send = (message: unknown) => process.send!(message);
process.once('message', async ({ url, options }: Go) => {
  try {
    const { db } = await connectDatabase({ url, checkpointInBackground: true });
    const engine = createCouponEngine({ db });
    send({ type: 'ready' });
    let run = 0;
    process.on('message', async () => {
      try {
        const before = sqliteCommits(db);
        const result = await runCycleLanes(engine, { ...options, customerPrefix: `${options.customerPrefix}run${run++}-` });
        const after = sqliteCommits(db);
        const commits = { commits: after.commits - before.commits, transactions: after.transactions - before.transactions, busyWaits: after.busyWaits - before.busyWaits };
        send({ type: 'done', result, commits, peakRssMb: vmHwmMb() });
      } catch (error) {
        send({ type: 'failed', error: (error as Error).stack ?? String(error) });
      }
    });
  } catch (error) {
    send({ type: 'failed', error: (error as Error).stack ?? String(error) });
  }
});
