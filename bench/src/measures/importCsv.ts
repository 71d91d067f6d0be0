import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { benchWorld, expectOk, timed, rssSplitMb } from '../benchKit';
import { writeCodesCsv } from '../writeCodesCsv';
import type { Measure } from '../measure';

/** Just under the engine's 10 MiB cap (maxImportBytes), so the file is as big as an import may be. */
const fileBytes = 10 * 1024 * 1024;
const codeLength = 16;

/** SPEC §7: import a 10 MB CSV of codes — ≤ 5 s. Writing the file is not timed; streaming it in is. */
export const measure: Measure = {
  name: 'import a 10 MB CSV of codes',
  unit: 's',
  target: { atMost: 5 },
  async run() {
    const world = await benchWorld();
    try {
      const file = join(world.dir, 'codes.csv');
      const { lines, bytes } = writeCodesCsv(file, { maxBytes: fileBytes, codeLength });
      const coupon = expectOk(
        await world.engine.createCoupon(world.orgId, {
          name: 'Bench import',
          code: { type: 'unique', length: codeLength, charset: 'alphanumeric' },
          activePeriod: { startsAt: new Date().toISOString(), endsAt: null },
        }),
      );
      const { seconds, result } = await timed(() => world.engine.importCodes(world.orgId, coupon.id, createReadStream(file)));
      const report = expectOk(result);
      if (report.added !== lines || report.rejectedCount !== 0)
        throw new Error(`imported ${report.added} of ${lines} codes, ${report.rejectedCount} rejected`);
      return { figure: seconds, details: { fileBytes: bytes, codes: report.added, codesPerSecond: Math.round(lines / seconds), ...rssSplitMb() } };
    } finally {
      await world.close();
    }
  },
};
