import * as pgCoupons from './pg/schema';
import * as pgRuntime from './pg/runtimeSchema';
import * as sqliteCoupons from './schema';
import * as sqliteRuntime from './runtimeSchema';

const pick = (s: typeof sqliteCoupons & typeof sqliteRuntime) => ({
  organisations: s.organisations,
  apiKeys: s.apiKeys,
  webSessions: s.webSessions,
  coupons: s.coupons,
  codeSpaces: s.codeSpaces,
  pools: s.pools,
  poolCodes: s.poolCodes,
  takenCodes: s.takenCodes,
  poolBatches: s.poolBatches,
  couponAudience: s.couponAudience,
  redemptionRecords: s.redemptionRecords,
  redemptionEvents: s.redemptionEvents,
  contacts: s.contacts,
  contactTags: s.contactTags,
  inboxes: s.inboxes,
  flows: s.flows,
  flowVersions: s.flowVersions,
  flowRuns: s.flowRuns,
  outbox: s.outbox,
  processedEvents: s.processedEvents,
  broadcasts: s.broadcasts,
  webchatMessages: s.webchatMessages,
});

/**
 * Every table, as the queries of the other folders see it. Queries are written once against these
 * (typed by the SQLite schema); a PostgreSQL database hands out its own tables under the same
 * names, with the same columns and the same JavaScript values (Date, boolean, parsed JSON).
 */
export type Tables = ReturnType<typeof pick>;

export const sqliteTables: Tables = pick({ ...sqliteCoupons, ...sqliteRuntime });

// The PostgreSQL mirror has the same shape (migratePostgres.test.ts checks it column by column);
// its column classes differ, which the query builders of the database they belong to expect.
export const postgresTables = pick({ ...pgCoupons, ...pgRuntime } as unknown as typeof sqliteCoupons & typeof sqliteRuntime);

export const postgresSchema = { ...pgCoupons, ...pgRuntime };
