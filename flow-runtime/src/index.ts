export { createRuntime, type Runtime, type RuntimeOptions } from './createRuntime';
export * from './flows/flowStore';
export * from './inboxes/inboxStore';
export { broadcastProgress, broadcastChunkSize, type StartBroadcastResult } from './broadcasts/startBroadcast';
export { webchatHistory, type WebchatItem } from './webchat/webchatHistory';
export type { ChannelSender, Delivery, DeliveryOutcome } from './delivery/channelSender';
export type { Senders } from './workers/outboundWorker';
export type { ContactEvent } from './engine/contactEvents';
