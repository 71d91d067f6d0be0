import { eq } from 'drizzle-orm';
import { newId, type Database, type DatabaseDialect } from '@couponflow/db';
import { openTestDatabase } from '@couponflow/db/testing';
import { inject } from 'vitest';
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
  /** where the database is (another process may open it) */
  url: string;
  close(): Promise<void>;
}

/**
 * An engine on a fresh database with one organisation: in-memory SQLite (or the SQLite file
 * `sqliteUrl`), or a new PostgreSQL database in the test run's cluster.
 */
export async function testWorld(backend: DatabaseDialect = 'sqlite', sqliteUrl?: string): Promise<TestWorld> {
  const { db, close, url } = await openTestDatabase(backend, backend === 'postgres' ? inject('postgresUrl') : undefined, sqliteUrl);
  const clock = new TestClock();
  const orgId = await createOrg(db, 'Test shop');
  // Closing twice is fine: a test that needs no world leaves the previous test's in place for afterEach.
  let closing: Promise<void> | undefined;
  return { db, engine: createCouponEngine({ db, now: clock.now }), clock, orgId, url, close: () => (closing ??= close()) };
}

export async function createOrg(db: Database, name: string): Promise<string> {
  const id = newId('org');
  await db.insert(db.tables.organisations).values({ id, name, features: { coupons: true }, createdAt: new Date() });
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

/** `items.map(step)` one after another (each step awaits the engine; order matters to the story). */
export async function inTurn<T, R>(items: readonly T[], step: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (const item of items) out.push(await step(item));
  return out;
}

/** The organisation's time zone, as an admin sets it in the settings. */
export async function setOrgTimeZone(world: Pick<TestWorld, 'db' | 'orgId'>, timeZone: string): Promise<void> {
  const { organisations } = world.db.tables;
  await world.db.update(organisations).set({ timeZone }).where(eq(organisations.id, world.orgId));
}
