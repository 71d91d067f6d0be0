import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeBotframework, FakeLine, FakeMessenger, FakeWhatsapp } from '.';

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });

describe('the loopback fakes refuse what the platforms refuse', () => {
  const line = new FakeLine();
  const messenger = new FakeMessenger();
  const whatsapp = new FakeWhatsapp();
  const bot = new FakeBotframework();
  beforeAll(() => Promise.all([line.start(), messenger.start(), whatsapp.start(), bot.start()]));
  afterAll(() => Promise.all([line.close(), messenger.close(), whatsapp.close(), bot.close()]));

  it('LINE: a wrong token, a schema violation, an over-long label, a reused retry key', async () => {
    const auth = { Authorization: `Bearer ${line.channelAccessToken}` };
    const push = (body: unknown, headers = auth) => post(`${line.url}/v2/bot/message/push`, body, headers);
    expect((await push({ to: 'U1', messages: [{ type: 'text', text: 'hi' }] }, { Authorization: 'Bearer nope' })).status).toBe(401);
    expect((await push({ to: 'U1', messages: [] })).status).toBe(400);
    expect((await push({ to: 'U1', messages: [{ type: 'template', altText: 'a', template: { type: 'buttons', text: 'x' } }] })).status).toBe(400);
    const label = { to: 'U1', messages: [{ type: 'template', altText: 'a', template: { type: 'buttons', text: 'x', actions: [{ type: 'uri', label: 'x'.repeat(21), uri: 'https://a' }] } }] };
    expect((await push(label)).status).toBe(400);
    const key = { ...auth, 'X-Line-Retry-Key': '123e4567-e89b-42d3-a456-426614174000' };
    expect((await push({ to: 'U1', messages: [{ type: 'text', text: 'hi' }] }, key)).status).toBe(200);
    expect((await push({ to: 'U1', messages: [{ type: 'text', text: 'hi' }] }, key)).status).toBe(409);
  });

  it('Messenger: a wrong token, a title over 80, a button title over 20', async () => {
    const send = (body: unknown, token = messenger.pageAccessToken) => post(`${messenger.url}/v21.0/me/messages?access_token=${token}`, body);
    const element = (title: string, button: string) => ({ recipient: { id: 'P' }, messaging_type: 'RESPONSE', message: { attachment: { type: 'template', payload: { template_type: 'generic', elements: [{ title, buttons: [{ type: 'web_url', url: 'https://a', title: button }] }] } } } });
    expect((await send(element('ok', 'ok'), 'bad')).status).toBe(400);
    expect((await send(element('x'.repeat(81), 'ok'))).status).toBe(400);
    expect((await send(element('ok', 'x'.repeat(21)))).status).toBe(400);
    expect((await send(element('ok', 'ok'))).status).toBe(200);
  });

  it('WhatsApp: a wrong token, an unknown type, a cta_url display text over 20, an over-long body', async () => {
    const auth = { Authorization: `Bearer ${whatsapp.accessToken}` };
    const send = (body: unknown, headers = auth) => post(`${whatsapp.url}/v21.0/${whatsapp.phoneNumberId}/messages`, body, headers);
    const cta = (display: string, text = 'hi') => ({ messaging_product: 'whatsapp', recipient_type: 'individual', to: '1', type: 'interactive', interactive: { type: 'cta_url', body: { text }, action: { name: 'cta_url', parameters: { display_text: display, url: 'https://a' } } } });
    expect((await send(cta('ok'), { Authorization: 'Bearer no' })).status).toBe(401);
    expect((await send({ messaging_product: 'whatsapp', recipient_type: 'individual', to: '1', type: 'hologram' })).status).toBe(400);
    expect((await send(cta('x'.repeat(21)))).status).toBe(400);
    expect((await send(cta('ok', 'x'.repeat(1025)))).status).toBe(400);
    expect((await send(cta('ok'))).status).toBe(200);
  });

  it('Bot Framework: no token, a token it did not issue, a hero card with a wrongly typed field', async () => {
    const url = `${bot.url}/v3/conversations/c1/activities`;
    const activity = { type: 'message', conversation: { id: 'c1' }, text: 'hi' };
    expect((await post(url, activity)).status).toBe(401);
    expect((await post(url, activity, { Authorization: 'Bearer forged' })).status).toBe(401);
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: bot.appId, client_secret: bot.appPassword, scope: 'x' });
    const { access_token } = (await (await fetch(bot.tokenUrl, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: form })).json()) as { access_token: string };
    const auth = { Authorization: `Bearer ${access_token}` };
    expect((await post(url, { ...activity, attachments: [{ contentType: 'application/vnd.microsoft.card.hero', content: { title: 5 } }] }, auth)).status).toBe(400);
    expect((await post(url, activity, auth)).status).toBe(201);
  });
});
