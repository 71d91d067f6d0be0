import { and, eq } from 'drizzle-orm';
import { addContactTag, contactTagList, offerState, removeContactTag, type CouponEngine } from '@couponflow/coupons';
import { bind, prepared, type Database } from '@couponflow/db';
import { renderTemplate, type OutboundMessage, type StepServices } from '@couponflow/nodes/executors';
import { contactState } from '../channels/contactChannelState';
import { writeOutbox } from '../queues/writeOutbox';
import { couponsIn } from './couponsIn';
import { couponsEnabled, type StepEnv } from './stepEnv';
import type { RunRow } from './walkRun';

/**
 * What a block of `run` may do, at node `nodeId`, inside the step's transaction (`env.db`). The
 * methods live on the prototype: a step used to build a dozen closures per node, a visible share of
 * a broadcast contact's time.
 */
export class RunServices implements StepServices {
  private engine: CouponEngine | undefined;

  constructor(
    private readonly env: StepEnv,
    private readonly run: RunRow,
    private readonly nodeId: string,
  ) {}

  /** Made for the blocks that hand out coupons only. */
  get coupons(): CouponEngine {
    return (this.engine ??= couponsIn(this.env));
  }

  couponsEnabled(): Promise<boolean> {
    return couponsEnabled(this.env.db, this.run.orgId);
  }

  redeemUrl(token: string): string {
    return `${this.env.publicUrl}/r/${token}`;
  }

  /** A message whose refusal must not wake the run is queued without the run (the outbound worker wakes the run it names). */
  send(message: OutboundMessage, options?: { refusalWakesRun?: boolean }): Promise<void> {
    const { orgId, inboxId, customerId } = this.run;
    const owner = (options?.refusalWakesRun ?? true) ? { runId: this.run.id, nodeId: this.nodeId } : { runId: null, nodeId: null };
    return writeOutbox(this.env.db, { kind: 'message', orgId, inboxId, customerId, ...owner, payload: message, dueAt: null, now: this.env.now() });
  }

  offerState(recordId: string, at: Date) {
    return offerState(this.env.db, this.run.orgId, recordId, at);
  }

  now(): Date {
    return this.env.now();
  }

  contactTags(): Promise<string[]> {
    return contactTagList(this.env.db, this.contact());
  }

  contactAttributes(): Promise<Record<string, string>> {
    return contactAttributes(this.env.db, this.contact());
  }

  addTag(tag: string): Promise<void> {
    return addContactTag(this.env.db, this.contact(), tag, this.env.now());
  }

  removeTag(tag: string): Promise<void> {
    return removeContactTag(this.env.db, this.contact(), tag);
  }

  /** The template with its placeholders filled; contact fields cost queries, so only those it names are read. */
  async render(template: string): Promise<string> {
    const { run } = this;
    if (!template.includes('{{')) return template;
    if (!template.includes('contact.')) return renderTemplate(template, { vars: run.vars, customerId: run.customerId, tags: noTags });
    const fields = new Set([...template.matchAll(/\{\{\s*contact\.([a-zA-Z0-9_]+)\s*\}\}/g)].map((m) => m[1]!));
    if (fields.size === 0) return renderTemplate(template, { vars: run.vars, customerId: run.customerId, tags: noTags });
    const [name, tagList, attributeMap] = await Promise.all([
      fields.has('name') ? contactVars(this.env.db, run) : {},
      fields.has('tags') ? this.contactTags() : [],
      [...fields].some((f) => !['id', 'customerId', 'tags'].includes(f)) ? this.contactAttributes() : {},
    ]);
    return renderTemplate(template, { vars: { ...run.vars, ...name }, customerId: run.customerId, tags: () => tagList, attributes: () => attributeMap });
  }

  private contact() {
    return { orgId: this.run.orgId, inboxId: this.run.inboxId, customerId: this.run.customerId };
  }
}

// Made once: under tsx every closure made per step also pays for naming itself (esbuild's keepNames).
const noTags = (): string[] => [];

/** `{{contact.name}}`: the display name the platform gave us. */
async function contactVars(db: Database, run: RunRow): Promise<Record<string, string>> {
  const name = (await contactState(db, run.orgId, run.inboxId, run.customerId))?.name;
  return name ? { 'contact.name': name } : {};
}

async function contactAttributes(db: Database, key: { orgId: string; inboxId: string; customerId: string }): Promise<Record<string, string>> {
  const row = await prepared(db, 'contactAttributes', (d, { contacts }) =>
    d
      .select({ attributes: contacts.attributes })
      .from(contacts)
      .where(and(eq(contacts.orgId, bind('orgId')), eq(contacts.inboxId, bind('inboxId')), eq(contacts.customerId, bind('customerId')))),
  ).get(key);
  return row?.attributes ?? {};
}
