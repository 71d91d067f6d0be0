import { sql } from 'drizzle-orm';
import { bigint, boolean, index, integer, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { eventActions, recordStatuses } from '../schema';
import { json, timestamp } from './columns';

/** PostgreSQL mirror of ../schema.ts: same tables, columns, indexes and constraints (checked by migratePostgres.test.ts). */

export const organisations = pgTable('organisations', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  features: json<{ coupons: boolean }>('features').notNull(),
  // IANA name; redemption windows and daily statistics are read in it.
  timeZone: text('time_zone').notNull().default('UTC'),
  createdAt: timestamp('created_at').notNull(),
});

export const apiKeys = pgTable(
  'api_keys',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id')
      .notNull()
      .references(() => organisations.id),
    role: text('role', { enum: ['owner', 'admin', 'designer', 'staff'] }).notNull(),
    name: text('name'),
    keyHash: text('key_hash').notNull(),
    createdAt: timestamp('created_at').notNull(),
    revokedAt: timestamp('revoked_at'),
    /** refreshed at most once a minute, so authenticating stays a read */
    lastUsedAt: timestamp('last_used_at'),
  },
  (t) => [uniqueIndex('api_keys_hash').on(t.keyHash), index('api_keys_org').on(t.orgId)],
);

/**
 * Web app sign-ins: the cookie carries a random session id, the table only its hash. A session
 * points at the key it was opened with (null for the instance admin), so revoking the key ends it.
 */
export const webSessions = pgTable(
  'web_sessions',
  {
    idHash: text('id_hash').primaryKey(),
    keyId: text('key_id'),
    instanceAdmin: boolean('instance_admin').notNull(),
    createdAt: timestamp('created_at').notNull(),
    expiresAt: timestamp('expires_at').notNull(),
  },
  (t) => [index('web_sessions_key').on(t.keyId)],
);

export const coupons = pgTable(
  'coupons',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id')
      .notNull()
      .references(() => organisations.id),
    name: text('name').notNull(),
    codeType: text('code_type', { enum: ['common', 'unique'] }).notNull(),
    // common: the one code; unique: null (codes live in pool_codes)
    codeValue: text('code_value'),
    codeLength: integer('code_length'),
    codeCharset: text('code_charset', { enum: ['alphanumeric', 'numeric', 'letters'] }),
    codePrefix: text('code_prefix'),
    startsAt: timestamp('starts_at').notNull(),
    endsAt: timestamp('ends_at'),
    totalLimit: integer('total_limit'),
    perCustomerLimit: integer('per_customer_limit'),
    active: boolean('active').notNull(),
    revokedAt: timestamp('revoked_at'),
    usageExpiry: json<unknown>('usage_expiry').notNull(),
    redeemPage: json<unknown>('redeem_page').notNull(),
    contactTags: json<unknown>('contact_tags').notNull(),
    // The merchant's own id for the campaign, unique within the organisation.
    externalId: text('external_id'),
    discount: json<unknown>('discount'),
    // Restrictions (issue 10): checked at redemption (window, gap, delay) or distribution (audience, issuing).
    redemptionWindow: json<unknown>('redemption_window'),
    minHoursBetweenRedemptions: integer('min_hours_between_redemptions'),
    redeemableAfterDays: integer('redeemable_after_days'),
    audience: json<unknown>('audience'),
    maxIssuedTotal: integer('max_issued_total'),
    maxIssuedPerCustomer: integer('max_issued_per_customer'),
    lowStockThreshold: integer('low_stock_threshold'),
    // Set when the remaining stock fell below the threshold (one event per crossing), cleared when it recovers.
    lowStockAt: timestamp('low_stock_at'),
    // Counters kept in the row so limit checks stay O(1) at any volume.
    redeemedCount: integer('redeemed_count').notNull().default(0),
    issuedCount: integer('issued_count').notNull().default(0),
    poolSize: integer('pool_size').notNull().default(0),
    // Pool codes taken out of use by a reversed redemption: neither free nor counted as redeemed.
    retiredCodes: integer('retired_codes').notNull().default(0),
    // The pool code handed out last: a pool hands out its codes in id order, so every code of the
    // pool up to this one is taken (see takenCodes) and every later one free.
    lastTakenCodeId: bigint('last_taken_code_id', { mode: 'number' }).notNull().default(0),
    createdAt: timestamp('created_at').notNull(),
    // The settings' version: every change of a setting moves it forward (coupons/ caches settings by it).
    updatedAt: timestamp('updated_at').notNull(),
  },
  (t) => [
    index('coupons_org').on(t.orgId, t.id),
    uniqueIndex('coupons_org_common_code')
      .on(t.orgId, t.codeValue)
      .where(sql`code_value is not null`),
    uniqueIndex('coupons_org_external_id')
      .on(t.orgId, t.externalId)
      .where(sql`external_id is not null`),
  ],
);

export const codeSpaces = pgTable(
  'code_spaces',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    orgId: text('org_id').notNull(),
  },
  (t) => [uniqueIndex('code_spaces_org').on(t.orgId)],
);

export const pools = pgTable(
  'pools',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    couponId: text('coupon_id')
      .notNull()
      .references(() => coupons.id),
    spaceId: integer('space_id')
      .notNull()
      .references(() => codeSpaces.id),
  },
  (t) => [uniqueIndex('pools_coupon').on(t.couponId)],
);

export const poolCodes = pgTable(
  'pool_codes',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    poolId: integer('pool_id').notNull(),
    spaceId: integer('space_id').notNull(),
    code: text('code').notNull(),
  },
  (t) => [
    uniqueIndex('pool_codes_space_code').on(t.spaceId, t.code),
    // A pool's codes in the order it hands them out: the next free one is the first past the
    // coupon's lastTakenCodeId.
    index('pool_codes_pool').on(t.poolId, t.id),
  ],
);

/**
 * The record each handed-out pool code went to. Staff verify finds a record by its code through
 * here (no index on the record's code: each redemption would write an entry into it). Rows are
 * only ever added, in each pool's id order (the end of the table while one campaign redeems):
 * taking a code rewrites no pool code row and moves no index entry. A reversal retires the code
 * and leaves its row naming the record, which no longer holds it. No foreign keys: each would cost
 * a look-up per redemption, and only redeemCoupon writes here, with a code and a record of the
 * same transaction.
 */
export const takenCodes = pgTable('taken_codes', {
  codeId: bigint('code_id', { mode: 'number' }).primaryKey(),
  recordId: text('record_id').notNull(),
});

export const poolBatches = pgTable('pool_batches', {
  id: text('id').primaryKey(),
  orgId: text('org_id').notNull(),
  couponId: text('coupon_id')
    .notNull()
    .references(() => coupons.id),
  poolId: integer('pool_id')
    .notNull()
    .references(() => pools.id),
  afterCodeId: bigint('after_code_id', { mode: 'number' }).notNull(),
  status: text('status', { enum: ['pending', 'complete'] }).notNull(),
  startedAt: timestamp('started_at').notNull(),
});

/** A coupon's uploaded audience: only these customers may be offered it (audience `{type:"list"}`). */
export const couponAudience = pgTable(
  'coupon_audience',
  {
    couponId: text('coupon_id')
      .notNull()
      .references(() => coupons.id),
    customerId: text('customer_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.couponId, t.customerId] })],
);

export const redemptionRecords = pgTable(
  'redemption_records',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id').notNull(),
    couponId: text('coupon_id')
      .notNull()
      .references(() => coupons.id),
    customerId: text('customer_id').notNull(),
    inboxId: text('inbox_id').notNull(),
    channel: text('channel').notNull(),
    status: text('status', { enum: recordStatuses }).notNull(),
    code: text('code'),
    token: text('token').notNull(),
    idempotencyKey: text('idempotency_key'),
    sentAt: timestamp('sent_at').notNull(),
    openedAt: timestamp('opened_at'),
    redeemedAt: timestamp('redeemed_at'),
    verifiedAt: timestamp('verified_at'),
    expiresAt: timestamp('expires_at'),
    revokedAt: timestamp('revoked_at'),
    // An admin reversed the redemption (a returned order); the limits count it no more.
    reversedAt: timestamp('reversed_at'),
    flowRunId: text('flow_run_id'),
    nodeId: text('node_id'),
  },
  (t) => [
    uniqueIndex('records_token').on(t.token),
    // A key names one offer of one coupon: another coupon never answers with this record.
    uniqueIndex('records_coupon_idempotency').on(t.couponId, t.idempotencyKey).where(sql`idempotency_key is not null`),
    // Without the status: a redemption changes the status, and would move the record's entry.
    index('records_coupon_customer').on(t.couponId, t.customerId),
    index('records_coupon_sent').on(t.couponId, t.id),
    // For the expiry sweep, which reads only records with an expiry: coupons without one never touch it.
    index('records_coupon_expiry')
      .on(t.couponId, t.status, t.expiresAt)
      .where(sql`expires_at is not null`),
  ],
);

export const redemptionEvents = pgTable(
  'redemption_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    orgId: text('org_id').notNull(),
    couponId: text('coupon_id'),
    recordId: text('record_id'),
    customerId: text('customer_id'),
    action: text('action', { enum: eventActions }).notNull(),
    // 'ok' or the reason the attempt was refused
    outcome: text('outcome').notNull(),
    // what else the trail needs (e.g. a reversal's target status, the stock left at low_stock)
    detail: text('detail'),
    at: timestamp('at').notNull(),
  },
  // A coupon's trail, newest first (the coupon is the organisation's: its id alone narrows enough).
  // Without the org id the entry is half as wide, and every offer and redemption writes two.
  (t) => [index('events_coupon').on(t.couponId, t.id)],
);

export const contacts = pgTable(
  'contacts',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id').notNull(),
    inboxId: text('inbox_id').notNull(),
    customerId: text('customer_id').notNull(),
    attributes: json<Record<string, string>>('attributes').notNull(),
    /** display name from the platform (webhook or profile API), for `{{contact.name}}` */
    name: text('name'),
    /** the contact's last inbound message: Messenger and WhatsApp refuse free-form messages 24 h after it */
    lastInboundAt: timestamp('last_inbound_at'),
    /** what the platform needs to answer this contact (LINE reply token, Bot Framework conversation) */
    channelData: json<Record<string, string | number>>('channel_data'),
    createdAt: timestamp('created_at').notNull(),
    updatedAt: timestamp('updated_at').notNull(),
  },
  (t) => [uniqueIndex('contacts_org_inbox_customer').on(t.orgId, t.inboxId, t.customerId)],
);

export const contactTags = pgTable(
  'contact_tags',
  {
    orgId: text('org_id').notNull(),
    contactId: text('contact_id')
      .notNull()
      .references(() => contacts.id),
    tag: text('tag').notNull(),
    createdAt: timestamp('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.contactId, t.tag] }), index('contact_tags_org_tag').on(t.orgId, t.tag)],
);
