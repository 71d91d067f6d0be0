import { bigint, index, integer, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { channels, runStatuses, type RunStep } from '../runtimeSchema';
import { json, timestamp } from './columns';

/** PostgreSQL mirror of ../runtimeSchema.ts (checked by migratePostgres.test.ts). */

export const inboxes = pgTable(
  'inboxes',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id').notNull(),
    channel: text('channel', { enum: channels }).notNull(),
    name: text('name').notNull(),
    /** sealed with the instance key (AES-256-GCM, see credentialCipher.ts); never stored in clear */
    credentials: text('credentials').notNull(),
    apiBaseUrl: text('api_base_url'),
    rateLimitPerSecond: integer('rate_limit_per_second').notNull(),
    /** WhatsApp: the approved MARKETING template offers use outside the 24 h window */
    offerTemplate: json<{ name: string; language: string; headerImage?: boolean; bodyText?: boolean; buttonUrlSuffix?: boolean }>('offer_template'),
    createdAt: timestamp('created_at').notNull(),
    updatedAt: timestamp('updated_at'),
  },
  (t) => [index('inboxes_org').on(t.orgId, t.id)],
);

/** A flow: the editable draft plus a pointer to the latest published version (n8n-style history). */
export const flows = pgTable(
  'flows',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id').notNull(),
    name: text('name').notNull(),
    draft: json<unknown>('draft').notNull(),
    publishedVersion: integer('published_version'),
    createdAt: timestamp('created_at').notNull(),
    updatedAt: timestamp('updated_at').notNull(),
  },
  (t) => [index('flows_org').on(t.orgId, t.id)],
);

/** Published versions never change; runs point at the one they started on. */
export const flowVersions = pgTable(
  'flow_versions',
  {
    flowId: text('flow_id').notNull(),
    version: integer('version').notNull(),
    orgId: text('org_id').notNull(),
    graph: json<unknown>('graph').notNull(),
    publishedAt: timestamp('published_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.flowId, t.version] })],
);

export const flowRuns = pgTable(
  'flow_runs',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id').notNull(),
    flowId: text('flow_id').notNull(),
    version: integer('version').notNull(),
    inboxId: text('inbox_id').notNull(),
    channel: text('channel', { enum: channels }).notNull(),
    customerId: text('customer_id').notNull(),
    status: text('status', { enum: runStatuses }).notNull(),
    currentNodeId: text('current_node_id'),
    /** what a waiting run waits for, and a serial so a stale timeout cannot resume a newer wait */
    waitingFor: text('waiting_for', { enum: ['reply', 'redemption'] }),
    waitSerial: integer('wait_serial').notNull().default(0),
    vars: json<Record<string, string>>('vars').notNull(),
    broadcastId: text('broadcast_id'),
    endReason: text('end_reason'),
    /** the nodes the run went through and the port it left each by, for the editor's test panel */
    path: json<RunStep[]>('path').notNull().default([]),
    startedAt: timestamp('started_at').notNull(),
    updatedAt: timestamp('updated_at').notNull(),
    endedAt: timestamp('ended_at'),
  },
  (t) => [
    index('runs_contact').on(t.orgId, t.inboxId, t.customerId, t.status),
    uniqueIndex('runs_broadcast_customer').on(t.broadcastId, t.customerId),
    index('runs_flow').on(t.flowId, t.version, t.status),
  ],
);

/**
 * Work a state change produced — messages to send, contact events to apply now or later (timeouts,
 * redemptions), broadcast chunks — written in the same transaction as the change (transactional
 * outbox), then handed to BullMQ; a crash or a Redis outage in between loses nothing.
 */
export const outbox = pgTable(
  'outbox',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    /** `timeout` is the older spelling of a delayed `event`, still read from existing databases */
    kind: text('kind', { enum: ['message', 'event', 'broadcast_chunk', 'timeout'] }).notNull(),
    orgId: text('org_id').notNull(),
    inboxId: text('inbox_id').notNull(),
    /** '' for a broadcast chunk, which addresses many contacts */
    customerId: text('customer_id').notNull(),
    runId: text('run_id'),
    nodeId: text('node_id'),
    payload: json<unknown>('payload').notNull(),
    dueAt: timestamp('due_at'),
    createdAt: timestamp('created_at').notNull(),
    queuedAt: timestamp('queued_at'),
  },
  (t) => [index('outbox_unqueued').on(t.queuedAt, t.id)],
);

/** Platform event ids already applied, so a redelivered webhook runs once. */
export const processedEvents = pgTable(
  'processed_events',
  {
    inboxId: text('inbox_id').notNull(),
    eventId: text('event_id').notNull(),
    processedAt: timestamp('processed_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.inboxId, t.eventId] })],
);

/** Progress is counted from the runs themselves (one per contact), so it is exact after any crash. */
export const broadcasts = pgTable('broadcasts', {
  id: text('id').primaryKey(),
  orgId: text('org_id').notNull(),
  flowId: text('flow_id').notNull(),
  version: integer('version').notNull(),
  inboxId: text('inbox_id').notNull(),
  total: integer('total').notNull(),
  createdAt: timestamp('created_at').notNull(),
});

/** The web chat channel's delivered bot messages; seq orders them per conversation. */
export const webchatMessages = pgTable(
  'webchat_messages',
  {
    seq: bigint('seq', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    inboxId: text('inbox_id').notNull(),
    contactId: text('contact_id').notNull(),
    /** the outbox id, so a retried delivery does not show twice */
    deliveryKey: text('delivery_key').notNull(),
    type: text('type', { enum: ['text', 'image', 'offer'] }).notNull(),
    text: text('text'),
    imageUrl: text('image_url'),
    buttons: json<Array<{ title: string; url: string }>>('buttons').notNull(),
    createdAt: timestamp('created_at').notNull(),
  },
  (t) => [index('webchat_conversation').on(t.inboxId, t.contactId, t.seq), uniqueIndex('webchat_delivery').on(t.deliveryKey)],
);
