import type { Schemas } from '../../api/client';

type Channel = Schemas['Inbox']['channel'];

/** SPEC §5 channel credentials: the fields each platform's console gives you. */
export const channels: { id: Channel; label: string; fields: { key: string; label: string; secret?: boolean }[] }[] = [
  { id: 'webchat', label: 'Web chat', fields: [] },
  { id: 'messenger', label: 'Messenger', fields: [{ key: 'appSecret', label: 'App secret', secret: true }, { key: 'pageAccessToken', label: 'Page access token', secret: true }, { key: 'verifyToken', label: 'Verify token' }] },
  { id: 'line', label: 'LINE', fields: [{ key: 'channelSecret', label: 'Channel secret', secret: true }, { key: 'channelAccessToken', label: 'Channel access token', secret: true }] },
  { id: 'whatsapp', label: 'WhatsApp', fields: [{ key: 'appSecret', label: 'App secret', secret: true }, { key: 'accessToken', label: 'Access token', secret: true }, { key: 'verifyToken', label: 'Verify token' }, { key: 'phoneNumberId', label: 'Phone number id' }] },
  { id: 'botframework', label: 'Bot Framework', fields: [{ key: 'appId', label: 'App id' }, { key: 'appPassword', label: 'App password', secret: true }] },
];
export const channelLabel = (id: string) => channels.find((c) => c.id === id)?.label ?? id;
export const channelFields = (id: string) => channels.find((c) => c.id === id)?.fields ?? [];
