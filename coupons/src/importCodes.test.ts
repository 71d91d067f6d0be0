import { backends } from '@couponflow/db/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { maxImportBytes } from './importCodes';
import { couponInput, expectOk, testWorld, type TestWorld } from './testing/testEngine';

let w: TestWorld;
afterEach(() => w.close());

describe.each(backends)('on %s', (backend) => {

  async function poolCoupon(redeemPage = {}) {
    return expectOk(await w.engine.createCoupon(w.orgId, couponInput({ code: { type: 'unique' }, redeemPage })));
  }
  /** The body arrives in small chunks, as it would from an HTTP upload. */
  async function* chunked(text: string, size = 7) {
    for (let i = 0; i < text.length; i += size) yield Buffer.from(text.slice(i, i + size));
  }

  describe('importing codes from CSV', () => {
    it('adds valid lines and reports every refused line with its reason', async () => {
      w = await testWorld(backend);
      const other = await poolCoupon();
      await w.engine.importCodes(w.orgId, other.id, chunked('TAKEN-001\n'));
      const coupon = await poolCoupon();
      const csv = ['code', 'GOOD-001', 'GOOD-002', 'GOOD-001', 'bad code!', 'X'.repeat(33), 'abc', 'TAKEN-001', '', 'GOOD-003'].join('\r\n');
      const report = expectOk(await w.engine.importCodes(w.orgId, coupon.id, chunked(csv)));
      expect(report).toEqual({
        added: 3,
        total: 3,
        rejectedCount: 5,
        rejected: [
          { line: 4, value: 'GOOD-001', reason: 'duplicate_in_file' },
          { line: 5, value: 'bad code!', reason: 'invalid_format' },
          { line: 6, value: 'X'.repeat(33), reason: 'too_long' },
          { line: 7, value: 'abc', reason: 'invalid_format' },
          { line: 8, value: 'TAKEN-001', reason: 'duplicate_existing' },
        ],
        rejectedByReason: { duplicate_in_file: 1, invalid_format: 2, too_long: 1, duplicate_existing: 1 },
      });
    });

    it('treats the first line as a code when it is not a header', async () => {
      w = await testWorld(backend);
      const report = expectOk(await w.engine.importCodes(w.orgId, (await poolCoupon()).id, chunked('FIRST-01\nSECOND-02\n')));
      expect(report.added).toBe(2);
    });

    it('refuses a line with more than one column', async () => {
      w = await testWorld(backend);
      const report = expectOk(await w.engine.importCodes(w.orgId, (await poolCoupon()).id, chunked('ONE-0001,TWO-0002\n')));
      expect(report.rejected).toEqual([{ line: 1, value: 'ONE-0001,TWO-0002', reason: 'invalid_format' }]);
    });

    it('refuses codes the page’s barcode cannot draw', async () => {
      w = await testWorld(backend);
      const report = expectOk(await w.engine.importCodes(w.orgId, (await poolCoupon({ codeDisplay: 'code39' })).id, chunked('UPPER-1\nlower-1\n')));
      expect(report).toMatchObject({ added: 1, rejected: [{ line: 2, reason: 'invalid_format' }] });
    });

    // The parser's limits: no line reaches the database, so one backend tells the whole story.
    if (backend === 'sqlite') it('refuses a file over 10 MB before writing anything', async () => {
      w = await testWorld(backend);
      const coupon = await poolCoupon();
      async function* huge() {
        const line = Buffer.from('CODE-ABCDEFGHIJ\n'.repeat(4096));
        for (let sent = 0; sent <= maxImportBytes; sent += line.length) yield line;
      }
      expect(await w.engine.importCodes(w.orgId, coupon.id, huge())).toMatchObject({ ok: false, reason: 'file_too_large' });
      expect(expectOk(await w.engine.getCoupon(w.orgId, coupon.id)).poolSize).toBe(0);
    });

    it('answers coupon_not_found for another organisation’s coupon', async () => {
      w = await testWorld(backend);
      const coupon = await poolCoupon();
      expect(await w.engine.importCodes('org_other', coupon.id, chunked('GOOD-001\n'))).toMatchObject({ ok: false, reason: 'coupon_not_found' });
    });
  });
});
