import type { ChannelAdapter, MessageTemplate } from './core/adapterTypes';
import { botframeworkAdapter, type BotframeworkCredentials, type BotframeworkOptions } from './botframework/botframeworkAdapter';
import { lineAdapter, type LineCredentials } from './line/lineAdapter';
import { messengerAdapter, type MessengerCredentials } from './messenger/messengerAdapter';
import { webchatAdapter, type WebchatDelivery } from './webchat/webchatAdapter';
import { whatsappAdapter, type WhatsappCredentials } from './whatsapp/whatsappAdapter';

export interface AdapterInbox {
  id: string;
  channel: string;
  credentials: Record<string, string>;
  apiBaseUrl?: string | null;
  /** WhatsApp: the approved template offers use outside the 24 h window */
  offerTemplate?: MessageTemplate | null;
}

export interface AdapterEnvironment {
  botframework?: BotframeworkOptions;
  webchat?: WebchatDelivery;
}

/** The adapter for an inbox's channel, or undefined when there is none for it. */
export function createAdapter(inbox: AdapterInbox, env: AdapterEnvironment = {}): ChannelAdapter | undefined {
  const base = inbox.apiBaseUrl ? { apiBaseUrl: inbox.apiBaseUrl } : {};
  const c = inbox.credentials;
  switch (inbox.channel) {
    case 'line':
      return lineAdapter(c as unknown as LineCredentials, base);
    case 'messenger':
      return messengerAdapter(c as unknown as MessengerCredentials, base);
    case 'whatsapp':
      return whatsappAdapter(c as unknown as WhatsappCredentials, { ...base, ...(inbox.offerTemplate ? { offerTemplate: inbox.offerTemplate } : {}) });
    case 'botframework':
      return botframeworkAdapter(c as unknown as BotframeworkCredentials, env.botframework);
    case 'webchat':
      return env.webchat && webchatAdapter(inbox.id, env.webchat);
    default:
      return undefined;
  }
}
