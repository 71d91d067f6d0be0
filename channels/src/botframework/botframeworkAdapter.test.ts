import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeBotframework } from '../../testing';
import { botframeworkAdapter } from './botframeworkAdapter';

describe('Bot Framework inbound authentication', () => {
  const fake = new FakeBotframework();
  beforeAll(() => fake.start());
  afterAll(() => fake.close());
  const headers = (h: Record<string, string>) => Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));

  it('checks the channel’s JWT with the published keys: audience, issuer and service URL', async () => {
    const adapter = botframeworkAdapter(fake.credentials, { openIdMetadataUrl: fake.openIdMetadataUrl });
    const good = fake.activity('u1', 'hi');
    expect(await adapter.verify({ rawBody: Buffer.from(good.body), headers: headers(good.headers) })).toBe(true);
    const otherBot = fake.activity('u1', 'hi', { signedFor: 'someone-else' });
    expect(await adapter.verify({ rawBody: Buffer.from(otherBot.body), headers: headers(otherBot.headers) })).toBe(false);
    // A token for this bot, replayed with an activity that claims another service URL.
    const moved = fake.activity('u1', 'hi', { serviceUrl: 'https://evil.example' });
    expect(await adapter.verify({ rawBody: Buffer.from(moved.body), headers: headers(moved.headers) })).toBe(false);
    expect(await adapter.verify({ rawBody: Buffer.from(good.body), headers: {} })).toBe(false);
  });

  it('is anonymous only for a bot with no app id (local use)', async () => {
    const local = botframeworkAdapter({ appId: '', appPassword: '' }, { openIdMetadataUrl: fake.openIdMetadataUrl });
    expect(await local.verify({ rawBody: Buffer.from(fake.activity('u1', 'hi').body), headers: {} })).toBe(true);
  });
});
