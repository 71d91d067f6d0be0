import { performance } from 'node:perf_hooks';
import type { CouponEngine } from '@couponflow/coupons';
import { expectOk } from '../benchKit';

export interface LaneOptions {
  orgId: string;
  couponId: string;
  /** customer ids are `${customerPrefix}${n}`: distinct per process so two processes never meet */
  customerPrefix: string;
  lanes: number;
  maxCycles: number;
  budgetMs: number;
}

export interface LaneResult {
  cycles: number;
  seconds: number;
  distributeUsPerCall: number;
  redeemUsPerCall: number;
  /** this process's CPU time (user + system) per cycle: steadier than the rate on a shared machine */
  cpuUsPerCycle: number;
}

/**
 * Distribute + redeem cycles as a server sees them: `lanes` customers in flight at once, each lane
 * offering the coupon to its next new customer and redeeming the record it got, until `maxCycles`
 * or the time budget. Concurrent requests are what lets SQLite group commit share one COMMIT.
 */
export async function runCycleLanes(engine: CouponEngine, options: LaneOptions): Promise<LaneResult> {
  let next = 0;
  let done = 0;
  let distributeMs = 0;
  let redeemMs = 0;
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const lane = async () => {
    while (next < options.maxCycles && performance.now() - started < options.budgetMs) {
      const n = next++;
      const t0 = performance.now();
      const sent = expectOk(await engine.distribute(options.orgId, { couponId: options.couponId, customerId: `${options.customerPrefix}${n}`, inboxId: 'inbox-bench', channel: 'web' }));
      const t1 = performance.now();
      expectOk(await engine.redeem(sent.record.token));
      redeemMs += performance.now() - t1;
      distributeMs += t1 - t0;
      done++;
    }
  };
  await Promise.all(Array.from({ length: options.lanes }, lane));
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const round = (n: number) => Math.round(n * 10) / 10;
  // Per call as a customer waits for it (latency inside a lane, not CPU time).
  return { cycles: done, seconds, distributeUsPerCall: round((distributeMs * 1000) / done), redeemUsPerCall: round((redeemMs * 1000) / done), cpuUsPerCycle: round((cpu.user + cpu.system) / done) };
}
