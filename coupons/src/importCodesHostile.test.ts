import { backends } from '@couponflow/db/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { maxImportBytes } from './importCodes';
import { couponInput, expectOk, testWorld, type TestWorld } from './testing/testEngine';

let w: TestWorld;
afterEach(() => w.close());

describe.each(backends)('on %s', (backend) => {

  const poolCoupon = async () => expectOk(await w.engine.createCoupon(w.orgId, couponInput({ code: { type: 'unique' } })));
  async function* bytes(...chunks: Array<string | Buffer>) {
    for (const chunk of chunks) yield Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
  }

  describe('CSV files as they really arrive', () => {
    it('an empty file adds nothing and refuses nothing', async () => {
      w = await testWorld(backend);
      expect(expectOk(await w.engine.importCodes(w.orgId, (await poolCoupon()).id, bytes('')))).toMatchObject({ added: 0, total: 0, rejectedCount: 0 });
    });

    it('a spreadsheet export: byte-order mark, CRLF, a header and quoted values', async () => {
      w = await testWorld(backend);
      const report = expectOk(await w.engine.importCodes(w.orgId, (await poolCoupon()).id, bytes('\uFEFFcode\r\n"QUOTED-01"\r\nPLAIN-002\r\n"QUOTED-01"\r\n')));
      expect(report).toMatchObject({ added: 2, rejected: [{ line: 4, value: 'QUOTED-01', reason: 'duplicate_in_file' }] });
    });

    it('binary garbage is refused line by line or as unreadable, and writes nothing', async () => {
      w = await testWorld(backend);
      const coupon = await poolCoupon();
      const garbage = Buffer.from(Array.from({ length: 64 * 1024 }, (_, i) => (i * 7919 + 13) % 256));
      const result = await w.engine.importCodes(w.orgId, coupon.id, bytes(garbage));
      if (result.ok) expect(result.value.added).toBe(0);
      else expect(result.reason).toBe('malformed_csv');
      expect(expectOk(await w.engine.getCoupon(w.orgId, coupon.id)).poolSize).toBe(0);
    });

    // The parser's limits: no line reaches the database, so one backend tells the whole story.
    if (backend === 'sqlite') it('10 MB of invalid lines: every one counted, only the first 1,000 kept in the report', async () => {
      w = await testWorld(backend);
      const line = 'not a code!\n';
      const lines = Math.floor((maxImportBytes - 1024) / line.length);
      async function* invalid() {
        const block = line.repeat(8192);
        for (let sent = 0; sent + 8192 <= lines; sent += 8192) yield Buffer.from(block);
      }
      const report = expectOk(await w.engine.importCodes(w.orgId, (await poolCoupon()).id, invalid()));
      const sent = Math.floor(lines / 8192) * 8192;
      expect(report.added).toBe(0);
      expect(report.rejectedCount).toBe(sent);
      expect(report.rejectedByReason.invalid_format).toBe(sent);
      expect(report.rejected).toHaveLength(1000);
    });
  });
});
