import { ChannelValidation, ConnectorClient, JwtTokenValidation, SimpleCredentialProvider } from 'botframework-connector';
import type { ChannelAdapter, SendContext, SendResult, Truncation } from '../core/adapterTypes';
import { header } from '../core/hmac';
import { classifyBotframeworkError } from './classifyBotframeworkError';
import { parseBotframeworkActivity } from './parseBotframeworkActivity';
import { renderBotframework } from './renderBotframework';
import { TokenEndpointCredentials } from './tokenEndpointCredentials';

export interface BotframeworkCredentials {
  appId: string;
  appPassword: string;
}

export interface BotframeworkOptions {
  /** where the channel's signing keys are published (Bot Framework's by default) */
  openIdMetadataUrl?: string;
  /** where the bot gets its outbound token (Azure AD by default) */
  tokenUrl?: string;
}

/** A Bot Framework bot: JWT validation and ConnectorClient from botframework-connector (channel-specs.md §4). */
export function botframeworkAdapter(credentials: BotframeworkCredentials, { openIdMetadataUrl, tokenUrl }: BotframeworkOptions = {}): ChannelAdapter {
  const provider = new SimpleCredentialProvider(credentials.appId, credentials.appPassword);
  const appCredentials = new TokenEndpointCredentials(credentials.appId, credentials.appPassword, tokenUrl);
  return {
    channel: 'botframework',
    async verify({ rawBody, headers }) {
      // Anonymous only for a bot with no app id (local use, the Emulator).
      if (!credentials.appId) return true;
      let activity: { channelId?: string; serviceUrl?: string };
      try {
        activity = JSON.parse(rawBody.toString('utf8'));
      } catch {
        return false;
      }
      // The library reads the metadata address from this setting (one per process).
      if (openIdMetadataUrl) ChannelValidation.OpenIdMetadataEndpoint = openIdMetadataUrl;
      try {
        // Checks the signature against the published keys, issuer, audience = app id, and the serviceurl claim.
        await JwtTokenValidation.authenticateRequest(activity, header(headers, 'authorization') ?? '', provider, '');
        return true;
      } catch {
        return false;
      }
    },
    parse: parseBotframeworkActivity,
    async send({ customerId, message, channelData }: SendContext): Promise<SendResult> {
      const truncations: Truncation[] = [];
      if (!channelData?.serviceUrl || !channelData.conversationId)
        return { ok: false, permanent: true, reason: 'no_conversation: the contact has not written to this bot yet', truncations };
      const client = new ConnectorClient(appCredentials, { baseUri: channelData.serviceUrl });
      const activity = {
        type: 'message',
        from: { id: channelData.botId ?? '' },
        recipient: { id: customerId },
        conversation: { id: channelData.conversationId },
        ...renderBotframework(message, truncations),
      };
      try {
        const response = await client.conversations.sendToConversation(channelData.conversationId, activity as never);
        return { ok: true, messageId: response.id, truncations };
      } catch (error) {
        return { ...classifyBotframeworkError(error), truncations };
      }
    },
  };
}
