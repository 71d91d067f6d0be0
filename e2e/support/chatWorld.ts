import { orgWithKeys, startTestServer, type TestServer } from '../../server/src/testing/testServer';

export type Keys = Awaited<ReturnType<typeof orgWithKeys>>;

export interface WebchatItem {
  seq: number;
  type: string;
  text: string | null;
  imageUrl: string | null;
  buttons: Array<{ title: string; url: string }>;
}

/** A running Couponflow (server + workers on the test Redis) with an organisation and a web chat inbox. */
export async function chatWorld(options: Parameters<typeof startTestServer>[0] = {}) {
  const server = await startTestServer({ workers: true, ...options });
  const keys = await orgWithKeys(server);
  return { server, keys, inboxId: keys.inboxId };
}

export async function api(server: TestServer, key: string, method: string, path: string, json?: unknown) {
  const res = await server.call(method, `/api/v1${path}`, { key, json });
  const body = res.headers.get('content-type')?.includes('json') ? await res.json() : await res.text();
  return { status: res.status, body };
}

/** Creates, fills and publishes a flow; answers its id. */
export async function publishedFlow(server: TestServer, key: string, graph: { nodes: unknown[]; edges: unknown[] }, name = 'Flow') {
  const flow = await api(server, key, 'POST', '/flows', { name });
  await api(server, key, 'PUT', `/flows/${flow.body.id}/draft`, graph);
  const published = await api(server, key, 'POST', `/flows/${flow.body.id}/publish`);
  if (published.status !== 201) throw new Error(`publish failed: ${JSON.stringify(published.body)}`);
  return flow.body.id as string;
}

export async function say(server: TestServer, inboxId: string, contactId: string, text: string, messageId?: string) {
  const res = await server.call('POST', `/api/v1/webchat/${inboxId}/messages`, { json: { contactId, text, ...(messageId ? { messageId } : {}) } });
  if (res.status !== 202) throw new Error(`message refused: ${res.status} ${await res.text()}`);
}

/** Polls the web chat until the bot has said `count` things to the visitor (or gives up after a while). */
export async function botMessages(server: TestServer, inboxId: string, contactId: string, count: number): Promise<WebchatItem[]> {
  let items: WebchatItem[] = [];
  for (let i = 0; i < 600; i++) {
    items = (await (await server.call('GET', `/api/v1/webchat/${inboxId}/messages?contactId=${encodeURIComponent(contactId)}`)).json()).items;
    if (items.length >= count) return items;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`expected ${count} bot messages for ${contactId}, got ${JSON.stringify(items)}`);
}

/** A flow: keyword → Distribute Coupon → one follow-up message per port, naming the port. */
export function couponFlow(keyword: string, couponId: string) {
  const ports = ['redeemed', 'coupon_expired', 'customer_max_uses_reached', 'coupon_max_uses_reached', 'error'];
  return {
    nodes: [
      { id: 'start', type: 'start', position: { x: 0, y: 0 }, data: { trigger: { type: 'keyword', keywords: [keyword] } } },
      {
        id: 'offer',
        type: 'distribute_coupon',
        position: { x: 200, y: 0 },
        data: { couponId, message: 'Here is your coupon, {{contact.id}}!', buttonTitle: 'Get coupon', imageUrl: 'https://cdn.example.com/c.png' },
      },
      ...ports.map((port, i) => ({
        id: `after_${port}`,
        type: 'send_message',
        position: { x: 400, y: i * 100 },
        data: { text: `port=${port} reason={{coupon.reason}} code={{coupon.code}}` },
      })),
    ],
    edges: [
      { id: 'e0', source: 'start', sourceHandle: 'next', target: 'offer' },
      ...ports.map((port) => ({ id: `e_${port}`, source: 'offer', sourceHandle: port, target: `after_${port}` })),
    ],
  };
}
