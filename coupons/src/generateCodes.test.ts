import { backends } from '@couponflow/db/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { codeSpace, randomCodes } from './codeAlphabet';
import { couponInput, expectOk, testWorld, type TestWorld } from './testing/testEngine';

let w: TestWorld;
afterEach(() => w.close());

describe.each(backends)('on %s', (backend) => {

  const uniqueCoupon = async (code: Record<string, unknown>) =>
    expectOk(await w.engine.createCoupon(w.orgId, couponInput({ code: { type: 'unique', ...code } as never })));

  describe('generating codes into a pool', () => {
    it('adds the requested number of distinct codes in the coupon’s charset, length and prefix', async () => {
      w = await testWorld(backend);
      const coupon = await uniqueCoupon({ length: 8, charset: 'numeric', prefix: 'XMAS-' });
      expect(expectOk(await w.engine.generateCodes(w.orgId, coupon.id, 2000))).toEqual({ added: 2000, total: 2000 });
      const { poolCodes } = w.db.tables;
      const codes = (await w.db.select({ code: poolCodes.code }).from(poolCodes)).map((r) => r.code);
      expect(new Set(codes).size).toBe(2000);
      for (const code of codes) expect(code).toMatch(/^XMAS-\d{8}$/);
    });

    it('draws every character of the alphabet about equally often (no modulo bias)', async () => {
      const letters = randomCodes(20_000, 'letters', 6).join('');
      const counts = new Map<string, number>();
      for (const ch of letters) counts.set(ch, (counts.get(ch) ?? 0) + 1);
      expect(counts.size).toBe(24);
      const expected = letters.length / 24;
      // chi-square with 23 degrees of freedom: 60 is far beyond the 99.99th percentile (≈ 52.6)
      const chiSquare = [...counts.values()].reduce((sum, n) => sum + (n - expected) ** 2 / expected, 0);
      expect(chiSquare).toBeLessThan(60);
    });

    it('refuses a batch that would fill more than half the code space', async () => {
      w = await testWorld(backend);
      const coupon = await uniqueCoupon({ length: 6, charset: 'numeric' });
      expect(codeSpace('numeric', 6)).toBe(1_000_000);
      expect(await w.engine.generateCodes(w.orgId, coupon.id, 500_001)).toMatchObject({ ok: false, reason: 'code_space_exhausted' });
      expect(expectOk(await w.engine.getCoupon(w.orgId, coupon.id)).poolSize).toBe(0);
    });

    it('refuses more than 1,000,000 codes per pool', async () => {
      w = await testWorld(backend);
      const coupon = await uniqueCoupon({});
      expect(await w.engine.generateCodes(w.orgId, coupon.id, 1_000_001)).toMatchObject({ ok: false, reason: 'validation_failed' });
      expectOk(await w.engine.generateCodes(w.orgId, coupon.id, 10));
      expect(await w.engine.generateCodes(w.orgId, coupon.id, 999_991)).toMatchObject({ ok: false, reason: 'pool_limit_exceeded' });
    });

    it('has no pool for a common-code coupon', async () => {
      w = await testWorld(backend);
      const coupon = expectOk(await w.engine.createCoupon(w.orgId, couponInput()));
      expect(await w.engine.generateCodes(w.orgId, coupon.id, 10)).toMatchObject({ ok: false, reason: 'not_unique_coupon' });
    });
  });
});
