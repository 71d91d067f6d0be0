import { afterEach, describe, expect, inject, it } from 'vitest';
import { writeTransaction, type DatabaseHandle } from '@couponflow/db';
import { backends, openTestDatabase } from '@couponflow/db/testing';
import { contactState, recordInbound } from './contactChannelState';

const opened: DatabaseHandle[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((handle) => handle.close()));
});

const ann = { orgId: 'org_1', inboxId: 'inb_1', customerId: 'ann' };
const at = (iso: string) => Date.parse(iso);

describe.each(backends)('a contact’s inbound messages, on %s', (backend) => {
  it('keep the latest time any message arrived, the name given, and the platform’s data merged key by key', async () => {
    const handle = await openTestDatabase(backend, inject('postgresUrl'));
    opened.push(handle);
    const { db } = handle;
    const record = (inbound: Parameters<typeof recordInbound>[2]) => writeTransaction(db, (tx) => recordInbound(tx, ann, inbound));

    await record({ at: at('2026-06-01T12:00:05.000Z'), name: 'Ann', channelData: { serviceUrl: 'https://bf.test/', conversationId: 'c-1' } });
    // A redelivered older message, then a newer one with a fresh reply token and no name.
    await record({ at: at('2026-06-01T12:00:01.000Z'), channelData: { conversationId: 'c-2' } });
    await record({ at: at('2026-06-01T12:00:09.000Z'), channelData: { replyToken: 'tok', replyTokenAt: at('2026-06-01T12:00:09.000Z') } });

    expect(await contactState(db, ann.orgId, ann.inboxId, ann.customerId)).toEqual({
      name: 'Ann',
      lastInboundAt: new Date('2026-06-01T12:00:09.000Z'),
      channelData: { serviceUrl: 'https://bf.test/', conversationId: 'c-2', replyToken: 'tok', replyTokenAt: at('2026-06-01T12:00:09.000Z') },
    });
    await record({ at: at('2026-06-01T12:00:02.000Z') });
    expect((await contactState(db, ann.orgId, ann.inboxId, ann.customerId))?.lastInboundAt).toEqual(new Date('2026-06-01T12:00:09.000Z'));
  });
});
