import { afterEach, describe, expect, it } from 'vitest';
import { backends } from '@couponflow/db/testing';
import type { FlowGraph } from '@couponflow/nodes';
import { publishFlow, saveDraft } from '../flows/flowStore';
import { twoWorkerShop, type Cleanups } from '../testing/twoWorkerShop';
import { applyContactEvent } from './applyContactEvent';
import { needsContactName } from './needsContactName';

const cleanups: Cleanups = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const at = (x: number) => ({ x, y: 0 });
/** "hello" starts it: the bot greets (with `greeting`) and waits for an answer. */
const greetingFlow = (greeting: string): FlowGraph => ({
  nodes: [
    { id: 'start', type: 'start', position: at(0), data: { trigger: { type: 'keyword', keywords: ['hello'] } } },
    { id: 'hi', type: 'send_message', position: at(1), data: { text: greeting } },
    { id: 'ask', type: 'wait_for_reply', position: at(2), data: { variable: 'answer' } },
  ],
  edges: [
    { id: 'e1', source: 'start', sourceHandle: 'next', target: 'hi' },
    { id: 'e2', source: 'hi', sourceHandle: 'next', target: 'ask' },
  ],
});

describe.each(backends)('whether a message may need the contact’s display name (asked of the platform first), on %s', (backend) => {
  it('follows what is published: no flow showing it, then a republished version that greets by name, then back', async () => {
    const s = await twoWorkerShop(backend, cleanups, () => greetingFlow('Hi there'));
    const [worker] = s.workers;
    expect(await needsContactName(s.db, s.orgId, s.inboxId, 'ann')).toBe(false);

    await saveDraft(s.db, s.orgId, s.flowId, greetingFlow('Hi {{contact.name}}'));
    expect(await publishFlow(s.db, s.orgId, s.flowId)).toEqual({ ok: true, version: 2 });
    expect(await needsContactName(s.db, s.orgId, s.inboxId, 'ann')).toBe(true);

    // Ann's run starts on version 2 and waits there; version 3 no longer shows the name.
    expect(await applyContactEvent(worker, { type: 'message', inboxId: s.inboxId, customerId: 'ann', eventId: 'evt-1', text: 'hello' })).toBe('started');
    await saveDraft(s.db, s.orgId, s.flowId, greetingFlow('Hi again'));
    expect(await publishFlow(s.db, s.orgId, s.flowId)).toEqual({ ok: true, version: 3 });
    expect(await needsContactName(s.db, s.orgId, s.inboxId, 'bob')).toBe(false);
    // Her waiting run is still on version 2: her answer may reach a block that shows it.
    expect(await needsContactName(s.db, s.orgId, s.inboxId, 'ann')).toBe(true);
  });

  it('a condition on contact.name counts as showing it', async () => {
    const s = await twoWorkerShop(backend, cleanups, () => ({
      nodes: [
        { id: 'start', type: 'start', position: at(0), data: { trigger: { type: 'keyword', keywords: ['hello'] } } },
        { id: 'known', type: 'condition', position: at(1), data: { match: 'all', rules: [{ kind: 'variable', name: 'contact.name', op: 'exists' }] } },
      ],
      edges: [{ id: 'e1', source: 'start', sourceHandle: 'next', target: 'known' }],
    }));
    expect(await needsContactName(s.db, s.orgId, s.inboxId, 'cat')).toBe(true);
  });
});
