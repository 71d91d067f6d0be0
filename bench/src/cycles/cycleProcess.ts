import { createCouponEngine } from '@couponflow/coupons';
import { connectDatabase, sqliteCommits } from '@couponflow/db';
import { vmHwmMb } from '../benchKit';
import { runCycleLanes, type LaneOptions } from './cycleLanes';

/**
 * One of the processes of the "2 processes on one database file" row: opens the shared SQLite file,
 * waits for `go` (so every process starts together), runs its lanes and reports with its peak RSS.
 */
interface Go {
  type: 'go';
  url: string;
  options: LaneOptions;
}

const send = (message: unknown) => process.send!(message);
process.once('message', async ({ url, options }: Go) => {
  try {
    const { db, close } = await connectDatabase({ url });
    const engine = createCouponEngine({ db });
    send({ type: 'ready' });
    await new Promise((resolve) => process.once('message', resolve));
    const result = await runCycleLanes(engine, options);
    send({ type: 'done', result, commits: sqliteCommits(db), peakRssMb: vmHwmMb() });
    await close();
  } catch (error) {
    send({ type: 'failed', error: (error as Error).stack ?? String(error) });
  }
});
