import { Agent, request } from 'node:http';
import { FakeMessenger } from '@couponflow/channels/testing';

/**
 * The outside world of the inbound-webhook row, in a process of its own so it does not share the
 * measured server's CPU: a loopback Messenger that receives the offers, and the platform's webhook
 * deliveries paced at the asked rate. Talks to the bench over IPC.
 */
const send = (message: unknown) => process.send!(message);
const fake = await new FakeMessenger().start();
send({ type: 'ready', url: fake.url, credentials: fake.credentials });

// A platform keeps a bounded pool of connections open to a webhook endpoint; so does this load.
const agent = new Agent({ keepAlive: true, maxSockets: 64 });
function postWebhook(url: string, message: { body: string; headers: Record<string, string> }): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: message.headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(message.body);
  });
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

process.on('message', async (message: { type: 'go'; webhookUrl: string; rate: number; seconds: number }) => {
  try {
    const total = message.rate * message.seconds;
    const webhooks = Array.from({ length: total }, (_, i) => ({ psid: String(1_000_000 + i), ...fake.webhook(String(1_000_000 + i), 'coupon') }));
    // A warm-up event, so connection set-up and first compilations are not in the figures.
    await postWebhook(message.webhookUrl, fake.webhook('999', 'coupon'));
    const sentAt = new Map<string, number>();
    const answers: Array<Promise<number>> = [];
    const started = Date.now();
    for (let i = 0; i < total; i++) {
      // Paced against the clock: event i leaves at started + i / rate.
      const due = started + (i * 1000) / message.rate;
      if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
      const w = webhooks[i]!;
      sentAt.set(w.psid, Date.now());
      answers.push(postWebhook(message.webhookUrl, w));
    }
    const sendSeconds = (Date.now() - started) / 1000;
    const statuses = await Promise.all(answers);
    if (statuses.some((s) => s !== 200)) throw new Error(`webhook refused: ${statuses.find((s) => s !== 200)}`);
    const recipient = (r: { body: unknown }) => (r.body as { recipient: { id: string } }).recipient.id;
    const offers = () => fake.accepted('/me/messages').filter((r) => sentAt.has(recipient(r)));
    const deadline = Date.now() + 180_000;
    while (offers().length < total && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const latencies = offers()
      .map((r) => r.at - sentAt.get(recipient(r))!)
      .sort((a, b) => a - b);
    if (latencies.length < total) throw new Error(`only ${latencies.length} of ${total} offers arrived`);
    send({ type: 'done', events: total, p50Ms: quantile(latencies, 0.5), p99Ms: quantile(latencies, 0.99), maxMs: latencies.at(-1)!, sendSeconds });
  } catch (error) {
    send({ type: 'failed', error: (error as Error).message });
  } finally {
    agent.destroy();
    await fake.close();
  }
});
