import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { json, timestamp } from './columns';


export const organisations = sqliteTable('organisations', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  features: json<{ coupons: boolean }>('features').notNull(),
  createdAt: timestamp('created_at').notNull(),
});

export const apiKeys = sqliteTable(
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
  },
  (t) => [uniqueIndex('api_keys_hash').on(t.keyHash), index('api_keys_org').on(t.orgId)],
);

export const coupons = sqliteTable(
  'coupons',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id')
      .notNull()
      .references(() => organisations.id),
    name: text('name').notNull(),
    codeType: text('code_type', { enum: ['common', 'unique'] }).notNull(),
    // common: the one code; unique: null (codes live in coupon_codes)
    codeValue: text('code_value'),
    codeLength: integer('code_length'),
    codeCharset: text('code_charset', { enum: ['alphanumeric', 'numeric', 'letters'] }),
    codePrefix: text('code_prefix'),
    startsAt: timestamp('starts_at').notNull(),
    endsAt: timestamp('ends_at'),
    totalLimit: integer('total_limit'),
    perCustomerLimit: integer('per_customer_limit'),
    active: integer('active', { mode: 'boolean' }).notNull(),
    revokedAt: timestamp('revoked_at'),
    usageExpiry: json<unknown>('usage_expiry').notNull(),
    redeemPage: json<unknown>('redeem_page').notNull(),
    contactTags: json<unknown>('contact_tags').notNull(),
    // Counters kept in the row so limit checks stay O(1) at any volume.
    redeemedCount: integer('redeemed_count').notNull().default(0),
    poolSize: integer('pool_size').notNull().default(0),
    createdAt: timestamp('created_at').notNull(),
    updatedAt: timestamp('updated_at').notNull(),
  },
  (t) => [
    index('coupons_org').on(t.orgId, t.id),
    uniqueIndex('coupons_org_common_code')
      .on(t.orgId, t.codeValue)
      .where(sql`code_value is not null`),
  ],
);

export const couponCodes = sqliteTable(
  'coupon_codes',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    orgId: text('org_id').notNull(),
    couponId: text('coupon_id')
      .notNull()
      .references(() => coupons.id),
    code: text('code').notNull(),
    // The record that holds this code; null while the code is free.
    recordId: text('record_id'),
  },
  (t) => [
    uniqueIndex('coupon_codes_org_code').on(t.orgId, t.code),
    index('coupon_codes_free').on(t.couponId, t.id).where(sql`record_id is null`),
  ],
);

export const recordStatuses = ['sent', 'opened', 'redeemed', 'verified', 'expired', 'revoked'] as const;
export type RecordStatus = (typeof recordStatuses)[number];

export const redemptionRecords = sqliteTable(
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
    flowRunId: text('flow_run_id'),
    nodeId: text('node_id'),
  },
  (t) => [
    uniqueIndex('records_token').on(t.token),
    uniqueIndex('records_idempotency').on(t.orgId, t.idempotencyKey).where(sql`idempotency_key is not null`),
    index('records_coupon_customer').on(t.couponId, t.customerId, t.status),
    index('records_coupon_sent').on(t.couponId, t.id),
    index('records_org_code').on(t.orgId, t.code),
    index('records_coupon_expiry').on(t.couponId, t.status, t.expiresAt),
  ],
);

export const redemptionEvents = sqliteTable(
  'redemption_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    orgId: text('org_id').notNull(),
    couponId: text('coupon_id'),
    recordId: text('record_id'),
    customerId: text('customer_id'),
    action: text('action', { enum: ['distribute', 'open', 'redeem', 'verify', 'revoke', 'expire'] }).notNull(),
    // 'ok' or the reason the attempt was refused
    outcome: text('outcome').notNull(),
    at: timestamp('at').notNull(),
  },
  (t) => [index('events_org_coupon').on(t.orgId, t.couponId, t.id)],
);

export const contacts = sqliteTable(
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

export const contactTags = sqliteTable(
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
