import { connectDatabase } from '@couponflow/db';
import { createCouponEngine } from '../couponEngine';

/**
 * One customer-facing process of concurrentRedeem.test.ts: its own connection (SQLite) or pool
 * (PostgreSQL) to the shared database, waiting for 'go', then distribute + redeem for random
 * customers as fast as it can. 'go' names a wall-clock instant a little ahead, so all processes
 * leave the start line together.
 * Started as `node --import tsx redeemWorker.ts` with a JSON WorkerJob as its one argument.
 */
export interface WorkerJob {
  dbUrl: string;
  orgId: string;
  couponId: string;
  attempts: number;
  customers: number;
}

export interface GoMessage {
  type: 'go';
  startAt: number;
}

export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'done'; outcomes: Record<string, number>; redeemed: Array<{ recordId: string; customerId: string; code: string }> };

const job = JSON.parse(process.argv[2]!) as WorkerJob;
const send = (message: WorkerMessage, then?: () => void) => process.send!(message, undefined, {}, then);

const { db, close } = await connectDatabase({ url: job.dbUrl, migrate: false });
const engine = createCouponEngine({ db });

process.once('message', (message: GoMessage) => {
  if (message.type !== 'go') throw new Error(`worker expected 'go', got ${JSON.stringify(message)}`);
  while (Date.now() < message.startAt); // spin: a timer would wake each process at a different moment
  void attemptAll().then((report) =>
    send(report, () => {
      void close().then(() => process.disconnect());
    }),
  );
});
send({ type: 'ready' });

async function attemptAll(): Promise<WorkerMessage> {
  const outcomes: Record<string, number> = {};
  const count = (what: string) => (outcomes[what] = (outcomes[what] ?? 0) + 1);
  const redeemed: Array<{ recordId: string; customerId: string; code: string }> = [];
  for (let i = 0; i < job.attempts; i++) {
    const customerId = `cust-${Math.floor(Math.random() * job.customers)}`;
    const offer = await engine.distribute(job.orgId, { couponId: job.couponId, customerId, inboxId: 'inbox-race', channel: 'webchat' });
    if (!offer.ok) {
      count(`distribute:${offer.reason}`);
      continue;
    }
    const redemption = await engine.redeem(offer.value.record.token);
    if (!redemption.ok) {
      count(`redeem:${redemption.reason}`);
      continue;
    }
    count('redeem:ok');
    redeemed.push({ recordId: redemption.value.record.id, customerId, code: redemption.value.code });
  }
  return { type: 'done', outcomes, redeemed };
}
