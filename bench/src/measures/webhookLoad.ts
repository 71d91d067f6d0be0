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
  // A platform delivers again when a connection fails under it; so does this load, once (and says so).
  return postOnce(url, message).catch((error: Error) => {
    console.error(`a webhook POST failed (${error.message}); delivering it again`);
    return postOnce(url, message);
  });
}
function postOnce(url: string, message: { body: string; headers: Record<string, string> }): Promise<number> {
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

interface Go {
  type: 'go';
  webhookUrl: string;
  rate: number;
  seconds: number;
  warmupSeconds: number;
  runs: number;
}

/**
 * `count` new contacts each writing the keyword, paced against the clock (event i leaves at
 * start + i / rate); resolves with each offer's latency, from its webhook leaving to its offer
 * arriving at the fake Messenger, once every offer has arrived.
 */
async function sendPaced(webhookUrl: string, firstPsid: number, count: number, rate: number) {
  const webhooks = Array.from({ length: count }, (_, i) => ({ psid: String(firstPsid + i), ...fake.webhook(String(firstPsid + i), 'coupon') }));
  const sentAt = new Map<string, number>();
  const answers: Array<Promise<number | Error>> = [];
  const started = Date.now();
  for (let i = 0; i < count; i++) {
    const due = started + (i * 1000) / rate;
    if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
    const w = webhooks[i]!;
    sentAt.set(w.psid, Date.now());
    // Handled at once: a POST failing while later ones are still being paced must not crash the load.
    answers.push(postWebhook(webhookUrl, w).catch((error: Error) => error));
  }
  const sendSeconds = (Date.now() - started) / 1000;
  const statuses = await Promise.all(answers);
  const refused = statuses.find((s) => s !== 200);
  if (refused !== undefined) throw new Error(`webhook refused: ${refused instanceof Error ? refused.message : refused}`);
  const recipient = (r: { body: unknown }) => (r.body as { recipient: { id: string } }).recipient.id;
  const offers = () => fake.accepted('/me/messages').filter((r) => sentAt.has(recipient(r)));
  const deadline = Date.now() + 180_000;
  while (offers().length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  const latencies = offers()
    .map((r) => r.at - sentAt.get(recipient(r))!)
    .sort((a, b) => a - b);
  if (latencies.length < count) throw new Error(`only ${latencies.length} of ${count} offers arrived`);
  return { latencies, sendSeconds };
}

process.on('message', async (message: Go) => {
  try {
    // A cold server (code not yet optimised, caches empty) first, at the same rate; then the measured runs, back to back.
    const warmup = await sendPaced(message.webhookUrl, 1_000_000, Math.round(message.rate * message.warmupSeconds), message.rate);
    send({ type: 'warm', events: warmup.latencies.length, p50Ms: quantile(warmup.latencies, 0.5), p99Ms: quantile(warmup.latencies, 0.99) });
    const total = message.rate * message.seconds;
    for (let run = 0; run < message.runs; run++) {
      const { latencies, sendSeconds } = await sendPaced(message.webhookUrl, 2_000_000 + run * 1_000_000, total, message.rate);
      send({ type: 'done', events: total, p50Ms: quantile(latencies, 0.5), p99Ms: quantile(latencies, 0.99), maxMs: latencies.at(-1)!, sendSeconds });
    }
  } catch (error) {
    send({ type: 'failed', error: (error as Error).message });
  } finally {
    agent.destroy();
    await fake.close();
  }
});
