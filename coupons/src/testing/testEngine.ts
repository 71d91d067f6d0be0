import { newId, openDatabase, organisations, type Database } from '@couponflow/db';
import { createCouponEngine, type CouponEngine } from '../couponEngine';
import type { CouponInput } from '../couponSchema';

/** A clock the test moves by hand, to the millisecond. */
export class TestClock {
  constructor(public ms = Date.parse('2026-06-01T12:00:00.000Z')) {}
  now = () => new Date(this.ms);
  set(iso: string) {
    this.ms = Date.parse(iso);
  }
  advance(ms: number) {
    this.ms += ms;
  }
}

export interface TestWorld {
  db: Database;
  engine: CouponEngine;
  clock: TestClock;
  orgId: string;
  close(): void;
}

/** An engine on a fresh in-memory database with one organisation. */
export function testWorld(url = ':memory:'): TestWorld {
  const { db, close } = openDatabase({ url });
  const clock = new TestClock();
  const orgId = createOrg(db, 'Test shop');
  return { db, engine: createCouponEngine({ db, now: clock.now }), clock, orgId, close };
}

export function createOrg(db: Database, name: string): string {
  const id = newId('org');
  db.insert(organisations).values({ id, name, features: { coupons: true }, createdAt: new Date() }).run();
  return id;
}

export function couponInput(overrides: Partial<CouponInput> = {}): CouponInput {
  return {
    name: 'Summer 10% off',
    code: { type: 'common', value: 'SUMMER10' },
    activePeriod: { startsAt: '2026-06-01T00:00:00.000Z', endsAt: '2026-09-01T00:00:00.000Z' },
    ...overrides,
  };
}

/** Unwraps a Result the story expects to succeed, failing loudly with the reason otherwise. */
export function expectOk<T>(result: { ok: true; value: T } | { ok: false; reason: string; message: string }): T {
  if (!result.ok) throw new Error(`expected success, got ${result.reason}: ${result.message}`);
  return result.value;
}
