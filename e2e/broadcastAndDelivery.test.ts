import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Delivery, Senders } from '@couponflow/flow-runtime';
import { api, botMessages, chatWorld, publishedFlow, say } from './support/chatWorld';
import { webchatSenderFor } from './support/webchatSenderFor';

type World = Awaited<ReturnType<typeof chatWorld>>;

const node = (id: string, type: string, data: object) => ({ id, type, position: { x: 0, y: 0 }, data });
const edge = (source: string, sourceHandle: string, target: string) => ({ id: `${source}-${sourceHandle}`, source, sourceHandle, target });

async function couponBroadcastFlow(w: World) {
  const coupon = await api(w.server, w.keys.owner, 'POST', '/coupons', {
    name: 'Weekend',
    code: { type: 'common' },
    activePeriod: { startsAt: '2020-01-01T00:00:00Z', endsAt: null },
  });
  return publishedFlow(w.server, w.keys.owner, {
    nodes: [node('start', 'start', { trigger: { type: 'broadcast' } }), node('offer', 'distribute_coupon', { couponId: coupon.body.id, message: 'Weekend treat', buttonTitle: 'Open' })],
    edges: [edge('start', 'next', 'offer')],
  });
}

async function progressOf(w: World, id: string, total: number) {
  for (let i = 0; i < 600; i++) {
    const progress = await api(w.server, w.keys.owner, 'GET', `/broadcasts/${id}`);
    if (progress.body.completed + progress.body.failed >= total) return progress.body;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('broadcast did not finish');
}

describe('broadcasts', () => {
  let w: World;
  beforeAll(async () => void (w = await chatWorld()));
  afterAll(() => w.server.close());

  it('start a published flow for a list of contacts, with progress', async () => {
    const flowId = await couponBroadcastFlow(w);
    const customerIds = Array.from({ length: 1200 }, (_, i) => `fan-${i}`);
    const started = await api(w.server, w.keys.admin, 'POST', `/flows/${flowId}/broadcasts`, { inboxId: w.inboxId, customerIds: [...customerIds, 'fan-0'] });
    expect(started.status).toBe(202);
    expect(started.body.total).toBe(1200);
    expect(await progressOf(w, started.body.id, 1200)).toEqual({ id: started.body.id, total: 1200, started: 1200, completed: 1200, failed: 0 });
    const [offer] = await botMessages(w.server, w.inboxId, 'fan-1199', 1);
    expect(offer).toMatchObject({ type: 'offer', text: 'Weekend treat' });
  });

  it('take their contacts from a CSV', async () => {
    const flowId = await couponBroadcastFlow(w);
    const res = await w.server.call('POST', `/api/v1/flows/${flowId}/broadcasts?inboxId=${w.inboxId}`, {
      key: w.keys.owner,
      body: 'customerId\ncsv-1\ncsv-2\ncsv-3\n',
      headers: { 'Content-Type': 'text/csv' },
    });
    expect(res.status).toBe(202);
    const { id } = await res.json();
    expect(await progressOf(w, id, 3)).toMatchObject({ total: 3, completed: 3 });
    await botMessages(w.server, w.inboxId, 'csv-3', 1);

    const broken = await w.server.call('POST', `/api/v1/flows/${flowId}/broadcasts?inboxId=${w.inboxId}`, {
      key: w.keys.owner,
      body: 'csv-4\n"never closed\n',
      headers: { 'Content-Type': 'text/csv' },
    });
    expect(broken.status).toBe(400);
    expect((await broken.json()).error.code).toBe('malformed_csv');
  });

  it('refuse an unpublished flow, another organisation’s inbox, and designers', async () => {
    const draft = await api(w.server, w.keys.owner, 'POST', '/flows', { name: 'Draft only' });
    expect((await api(w.server, w.keys.owner, 'POST', `/flows/${draft.body.id}/broadcasts`, { inboxId: w.inboxId, customerIds: ['x'] })).body.error.code).toBe(
      'flow_not_published',
    );
    const flowId = await couponBroadcastFlow(w);
    expect((await api(w.server, w.keys.owner, 'POST', `/flows/${flowId}/broadcasts`, { inboxId: 'inb_other', customerIds: ['x'] })).status).toBe(404);
    expect((await api(w.server, w.keys.designer, 'POST', `/flows/${flowId}/broadcasts`, { inboxId: w.inboxId, customerIds: ['x'] })).status).toBe(403);
  });
});

describe('outbound delivery', () => {
  it('retries a transient refusal, waiting as long as the platform’s Retry-After says', async () => {
    const attempts: number[] = [];
    // The double passes messages on to the real web chat of the world it is part of.
    const late: { world?: World } = {};
    const flaky: Senders = {
      webchat: {
        send: async (delivery: Delivery) => {
          attempts.push(Date.now());
          if (attempts.length < 3) return { ok: false, permanent: false, reason: 'rate_limited_by_platform', retryAfterMs: 300 };
          return webchatSenderFor(late.world!.server).send(delivery);
        },
      },
    };
    const w = (late.world = await chatWorld({ senders: flaky }));
    try {
      await publishedFlow(w.server, w.keys.owner, { nodes: [node('start', 'start', { trigger: { type: 'keyword', keywords: ['hi'] } }), node('hello', 'send_message', { text: 'hello after all' })], edges: [edge('start', 'next', 'hello')] });
      await say(w.server, w.inboxId, 'patient', 'hi');
      expect((await botMessages(w.server, w.inboxId, 'patient', 1))[0]!.text).toBe('hello after all');
      expect(attempts).toHaveLength(3);
      // Each retry waited at least the 300 ms the platform asked for (waiting can only make this longer).
      expect(attempts[1]! - attempts[0]!).toBeGreaterThanOrEqual(300);
      expect(attempts[2]! - attempts[1]!).toBeGreaterThanOrEqual(300);
    } finally {
      await w.server.close();
    }
  });

  it('keeps each inbox under its rate limit', async () => {
    const sentAt: number[] = [];
    const late: { world?: World } = {};
    const counting: Senders = {
      webchat: {
        send: async (delivery: Delivery) => {
          sentAt.push(Date.now());
          return webchatSenderFor(late.world!.server).send(delivery);
        },
      },
    };
    const w = (late.world = await chatWorld({ senders: counting }));
    try {
      const slow = await api(w.server, w.keys.owner, 'POST', '/inboxes', { channel: 'webchat', name: 'Slow', rateLimitPerSecond: 4 });
      await publishedFlow(w.server, w.keys.owner, { nodes: [node('start', 'start', { trigger: { type: 'keyword', keywords: ['go'] } }), node('m', 'send_message', { text: 'one message' })], edges: [edge('start', 'next', 'm')] });
      for (let i = 0; i < 12; i++) await say(w.server, slow.body.id, `burst-${i}`, 'go');
      for (let i = 0; i < 12; i++) await botMessages(w.server, slow.body.id, `burst-${i}`, 1);
      // 12 messages at 4/s need at least two full windows after the first; a slow machine only adds time.
      expect(sentAt.at(-1)! - sentAt[0]!).toBeGreaterThanOrEqual(2000);
    } finally {
      await w.server.close();
    }
  });
});

describe('the web chat stream', () => {
  it('pushes the bot’s replies as server-sent events', async () => {
    const w = await chatWorld();
    try {
      await publishedFlow(w.server, w.keys.owner, { nodes: [node('start', 'start', { trigger: { type: 'keyword', keywords: ['stream'] } }), node('m', 'send_message', { text: 'streamed hello' })], edges: [edge('start', 'next', 'm')] });
      const controller = new AbortController();
      const res = await fetch(`${w.server.url}/api/v1/webchat/${w.inboxId}/stream?contactId=listener`, { signal: controller.signal });
      expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
      const reader = res.body!.getReader();
      await say(w.server, w.inboxId, 'listener', 'stream');
      let received = '';
      while (!received.includes('streamed hello')) {
        const { value, done } = await reader.read();
        if (done) break;
        received += new TextDecoder().decode(value);
      }
      controller.abort();
      expect(received).toMatch(/id: \d+\nevent: message\ndata: \{.*"text":"streamed hello"/);
    } finally {
      await w.server.close();
    }
  });
});
