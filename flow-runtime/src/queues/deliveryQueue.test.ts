import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { backends } from '@couponflow/db/testing';
import { createInbox } from '../inboxes/inboxStore';
import { deliveryQueueOf } from './deliveryQueue';
import { createQueues } from './runtimeQueues';
import { testOrganisation } from '../testing/testOrganisation';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe.each(backends)('the queue that delivers an inbox’s messages, on %s', (backend) => {
  it('web chat’s own (its delivery writes the database), the platforms’ shared, a deleted inbox’s the platforms’', async () => {
    const { db, orgId, cipher } = await testOrganisation(backend, cleanups);
    const chat = await createInbox(db, cipher, orgId, { channel: 'webchat', name: 'Chat', credentials: {} });
    const page = await createInbox(db, cipher, orgId, { channel: 'messenger', name: 'Page', credentials: { appSecret: 'a'.repeat(32), pageAccessToken: 'token-1234567890', verifyToken: 'verify-me' } });
    const queues = await createQueues(inject('redisUrl'), { prefix: `t${randomUUID()}`, shards: 1 });
    cleanups.push(() => queues.close());

    expect((await deliveryQueueOf(db, queues, chat.id)).name).toBe('outbound-webchat');
    expect((await deliveryQueueOf(db, queues, page.id)).name).toBe('outbound');
    expect((await deliveryQueueOf(db, queues, 'inb_gone')).name).toBe('outbound');
    // Asked again (from the process's memory this time): the same answers.
    expect((await deliveryQueueOf(db, queues, chat.id)).name).toBe('outbound-webchat');
    expect((await deliveryQueueOf(db, queues, page.id)).name).toBe('outbound');
  });
});
