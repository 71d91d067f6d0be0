import { createHmac, randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { backends } from '@couponflow/db/testing';
import { createInbox } from '../inboxes/inboxStore';
import { channelRegistry } from './channelRegistry';
import { inboxChanges } from './inboxChanges';
import { testOrganisation } from '../testing/testOrganisation';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A LINE inbox, and what two processes of the instance (one Redis, one database) see of it. */
async function lineShop(backend: (typeof backends)[number]) {
  const { db, orgId, cipher } = await testOrganisation(backend, cleanups);
  const inbox = await createInbox(db, cipher, orgId, { channel: 'line', name: 'LINE', credentials: { channelSecret: 'first-secret', channelAccessToken: 'token' } });
  const prefix = `t${randomUUID()}`;
  const publisher = new Redis(inject('redisUrl'));
  cleanups.push(() => void publisher.disconnect());
  let clock = 0;
  /** One process's registry, listening on its own subscriber connection (given, or a new one). */
  const registry = (subscriber = new Redis(inject('redisUrl'))) => {
    cleanups.push(() => void subscriber.disconnect());
    const changes = inboxChanges(subscriber, publisher, prefix);
    return { changes, registry: channelRegistry(db, cipher, {}, { changes, recheckEveryMs: 30_000, now: () => clock }) };
  };
  /** Replaces the secret in the row only, as a hand edit would: nothing is announced. */
  const editByHand = (channelSecret: string) =>
    db.update(db.tables.inboxes).set({ credentials: cipher.seal({ channelSecret, channelAccessToken: 'token' }), updatedAt: new Date() }).where(eq(db.tables.inboxes.id, inbox.id));
  return { inbox, registry, editByHand, pass: (ms: number) => void (clock += ms) };
}

/** Whether the channel's adapter takes a LINE body signed with `secret`. */
async function accepts(channel: Awaited<ReturnType<ReturnType<typeof channelRegistry>['get']>>, secret: string) {
  const rawBody = Buffer.from('{"events":[]}');
  const signature = createHmac('sha256', secret).update(rawBody).digest('base64');
  return channel!.adapter!.verify({ rawBody, headers: { 'x-line-signature': signature } });
}

/** Until the process hears announcements (its subscription confirmed), or knows it does not. */
async function live(process: { changes: { isLive(): boolean } }, wanted = true) {
  for (let i = 0; i < 500 && process.changes.isLive() !== wanted; i++) await new Promise((r) => setTimeout(r, 10));
  expect(process.changes.isLive()).toBe(wanted);
}

describe.each(backends)('the channel registry on %s', (backend) => {
  it('keeps an inbox’s adapter while nothing changed, and builds it anew once another process announces a change', async () => {
    const { inbox, registry, editByHand } = await lineShop(backend);
    const webhooks = registry();
    const api = registry();
    await live(webhooks);
    await live(api);
    const kept = await webhooks.registry.get(inbox.id);
    expect(await webhooks.registry.get(inbox.id)).toBe(kept);
    await editByHand('second-secret');
    // Resolves once every process (both here) confirmed.
    await api.registry.changed(inbox.id);
    const rebuilt = await webhooks.registry.get(inbox.id);
    expect(rebuilt).not.toBe(kept);
    expect([await accepts(rebuilt, 'first-secret'), await accepts(rebuilt, 'second-secret')]).toEqual([false, true]);
  });

  it('a change nobody announced (a hand edit, an announcement unheard) is seen at the next recheck', async () => {
    const { inbox, registry, editByHand, pass } = await lineShop(backend);
    const webhooks = registry();
    await live(webhooks);
    expect(await accepts(await webhooks.registry.get(inbox.id), 'first-secret')).toBe(true);
    await editByHand('second-secret');
    pass(29_000);
    expect(await accepts(await webhooks.registry.get(inbox.id), 'first-secret')).toBe(true);
    pass(1_000);
    expect(await accepts(await webhooks.registry.get(inbox.id), 'second-secret')).toBe(true);
  });

  it('a process that lost its subscription reads the row at every call, and keeps nothing from before once subscribed again', async () => {
    const { inbox, registry, editByHand } = await lineShop(backend);
    const subscriber = new Redis(inject('redisUrl'));
    const webhooks = registry(subscriber);
    await live(webhooks);
    expect(await accepts(await webhooks.registry.get(inbox.id), 'first-secret')).toBe(true);
    subscriber.disconnect();
    await live(webhooks, false);
    await editByHand('second-secret');
    expect(await accepts(await webhooks.registry.get(inbox.id), 'second-secret')).toBe(true);
    await subscriber.connect();
    await live(webhooks);
    await editByHand('third-secret');
    expect(await accepts(await webhooks.registry.get(inbox.id), 'third-secret')).toBe(true);
  });
});
