import { benchWorld, expectOk, timed, rssSplitMb } from '../benchKit';
import type { Measure } from '../measure';

const count = 1_000_000;

/** SPEC §7: generate 1,000,000 unique codes into a pool — ≤ 5 s, ≤ 300 MB RSS. */
export const measure: Measure = {
  name: 'generate 1,000,000 unique codes into a pool',
  unit: 's',
  target: { atMost: 5, maxRssMb: 300 },
  async run() {
    const world = await benchWorld();
    try {
      const coupon = expectOk(
        await world.engine.createCoupon(world.orgId, {
          name: 'Bench pool',
          code: { type: 'unique', length: 10, charset: 'alphanumeric' },
          activePeriod: { startsAt: new Date().toISOString(), endsAt: null },
        }),
      );
      const { seconds, result } = await timed(() => world.engine.generateCodes(world.orgId, coupon.id, count));
      const pool = expectOk(result);
      if (pool.added !== count || pool.total !== count) throw new Error(`pool has ${pool.total} codes, expected ${count}`);
      return { figure: seconds, details: { codes: pool.added, codesPerSecond: Math.round(count / seconds), ...rssSplitMb() } };
    } finally {
      await world.close();
    }
  },
};
