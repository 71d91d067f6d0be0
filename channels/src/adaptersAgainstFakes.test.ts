import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeBotframework, FakeLine, FakeMessenger, FakeWhatsapp } from '../testing';
import type { ChannelAdapter, OutboundMessage } from './core/adapterTypes';
import { createAdapter } from './createAdapter';

const offer: OutboundMessage = { type: 'offer', text: 'Here is 10% off', imageUrl: 'https://cdn.example.com/c.png', buttons: [{ title: 'Get coupon', url: 'https://shop.example/r/tok123' }] };
const longText: OutboundMessage = { type: 'text', text: 'x'.repeat(30_000), buttons: [] };
const headersOf = (h: Record<string, string>) => Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));

interface Case {
  name: string;
  start(): Promise<{ adapter: ChannelAdapter; inbound(): { body: string; headers: Record<string, string> }; forged(): { body: string; headers: Record<string, string> }; close(): Promise<void>; delivered(): unknown[] }>;
}

const cases: Case[] = [
  {
    name: 'LINE',
    async start() {
      const fake = await new FakeLine().start();
      return { adapter: createAdapter({ id: 'i', channel: 'line', credentials: fake.credentials, apiBaseUrl: fake.url })!, inbound: () => fake.webhook('U1', 'hi'), forged: () => ({ ...fake.webhook('U1', 'hi'), body: '{"events":[]}' }), close: () => fake.close(), delivered: () => fake.deliveredMessages() };
    },
  },
  {
    name: 'Messenger',
    async start() {
      const fake = await new FakeMessenger().start();
      return { adapter: createAdapter({ id: 'i', channel: 'messenger', credentials: fake.credentials, apiBaseUrl: fake.url })!, inbound: () => fake.webhook('P1', 'hi'), forged: () => ({ ...fake.webhook('P1', 'hi'), body: '{}' }), close: () => fake.close(), delivered: () => fake.deliveredMessages() };
    },
  },
  {
    name: 'WhatsApp',
    async start() {
      const fake = await new FakeWhatsapp().start();
      return { adapter: createAdapter({ id: 'i', channel: 'whatsapp', credentials: fake.credentials, apiBaseUrl: fake.url })!, inbound: () => fake.webhook('15551234', 'hi'), forged: () => ({ ...fake.webhook('15551234', 'hi'), body: '{}' }), close: () => fake.close(), delivered: () => fake.deliveredMessages() };
    },
  },
  {
    name: 'Bot Framework',
    async start() {
      const fake = await new FakeBotframework().start();
      const adapter = createAdapter({ id: 'i', channel: 'botframework', credentials: fake.credentials }, { botframework: { openIdMetadataUrl: fake.openIdMetadataUrl, tokenUrl: fake.tokenUrl } })!;
      return { adapter, inbound: () => fake.activity('u1', 'hi'), forged: () => fake.activity('u1', 'hi', { signedFor: 'another-bot' }), close: () => fake.close(), delivered: () => fake.deliveredMessages() };
    },
  },
];

describe.each(cases)('the $name adapter against its fake', ({ start }) => {
  let world: Awaited<ReturnType<Case['start']>>;
  beforeAll(async () => void (world = await start()));
  afterAll(() => world.close());

  it('accepts a signed webhook and refuses a forged one', async () => {
    const good = world.inbound();
    expect(await world.adapter.verify({ rawBody: Buffer.from(good.body), headers: headersOf(good.headers) })).toBe(true);
    const forged = world.forged();
    expect(await world.adapter.verify({ rawBody: Buffer.from(forged.body), headers: headersOf(forged.headers) })).toBe(false);
    expect(await world.adapter.verify({ rawBody: Buffer.from(good.body), headers: {} })).toBe(false);
    const [event] = world.adapter.parse(JSON.parse(good.body));
    expect(event).toMatchObject({ kind: 'message', text: 'hi' });
  });

  it('sends an offer the platform accepts, and cuts an over-long text instead of having it refused', async () => {
    const [event] = world.adapter.parse(JSON.parse(world.inbound().body));
    const context = { customerId: event!.customerId, lastInboundAt: Date.now(), channelData: event!.kind === 'message' ? event!.channelData : undefined };
    expect(await world.adapter.send({ ...context, message: offer, idempotencyKey: 'k1' })).toMatchObject({ ok: true, truncations: [] });
    const cut = await world.adapter.send({ ...context, message: longText, idempotencyKey: 'k2' });
    expect(cut.ok).toBe(true);
    expect(cut.truncations[0]).toMatchObject({ field: 'text', length: 30_000 });
    expect(world.delivered()).toHaveLength(2);
  });
});
