import type { IncomingHttpHeaders } from 'node:http';
import type { ChannelAdapter, InboundEvent } from '@couponflow/channels';
import type { Runtime } from '@couponflow/flow-runtime';
import { ApiError } from '../http/apiError';

/** Platforms send small JSON events; anything bigger is not theirs. */
export const webhookBodyLimit = 1024 * 1024;

/** The inbox's adapter for its webhooks: 404 for no such inbox (web chat has none), 503 while its channel cannot be used. */
export async function webhookAdapter(runtime: Pick<Runtime, 'channelFor'>, inboxId: string): Promise<ChannelAdapter> {
  // A NUL character is in no inbox id (and PostgreSQL would refuse to look it up).
  const channel = inboxId.includes('\u0000') ? undefined : await runtime.channelFor(inboxId);
  if (!channel || channel.inbox.channel === 'webchat') throw new ApiError(404, 'not_found', 'No such inbox');
  if (!channel.adapter) throw new ApiError(503, 'channel_unavailable', 'This inbox’s channel cannot be used; check its credentials', [], { 'Retry-After': '60' });
  return channel.adapter;
}

/**
 * SPEC §4 inbound webhook, once its raw body is read: the signature is checked before anything is
 * parsed (401 and nothing queued when it fails), then every event is queued (job id = the
 * platform's event id, so a redelivery runs once). Answers how many events were accepted; a 200
 * sent after it means they are safe in Redis.
 */
export async function receiveWebhook(
  runtime: Pick<Runtime, 'channelFor' | 'acceptMessage' | 'acceptDeliveryFailure'>,
  inboxId: string,
  request: { rawBody: Buffer; headers: IncomingHttpHeaders; isJson(): boolean },
): Promise<number> {
  const adapter = await webhookAdapter(runtime, inboxId);
  const { rawBody, headers } = request;
  if (!(await adapter.verify({ rawBody, headers }))) throw new ApiError(401, 'invalid_signature', 'The request signature is missing or wrong');
  if (!request.isJson()) throw new ApiError(415, 'unsupported_media_type', 'Send the body as application/json');
  let body: unknown;
  try {
    body = JSON.parse(rawBody.toString('utf8'));
  } catch {
    throw new ApiError(400, 'malformed_json', 'The body is not valid JSON');
  }
  const events = adapter.parse(body);
  // Queue everything before answering: a 200 means the events are safe in Redis.
  if (events.length === 1) await accept(runtime, inboxId, events[0]!);
  else await Promise.all(events.map((event) => accept(runtime, inboxId, event)));
  return events.length;
}

/** `{"received":n}`, written straight out: res.json's ETag and send machinery were a tenth of a webhook's cost. */
export const receivedAnswer = (count: number) => `{"received":${count}}`;

const accept = (runtime: Pick<Runtime, 'acceptMessage' | 'acceptDeliveryFailure'>, inboxId: string, event: InboundEvent) =>
  event.kind === 'message'
    ? runtime.acceptMessage({
        inboxId,
        customerId: event.customerId,
        eventId: event.eventId,
        text: event.text,
        receivedAt: event.timestamp,
        ...(event.name ? { name: event.name } : {}),
        ...(event.channelData ? { channelData: event.channelData } : {}),
      })
    : runtime.acceptDeliveryFailure(inboxId, event);
