import { AppCredentials, type AuthenticatorResult } from 'botframework-connector';

export const defaultTokenUrl = 'https://login.microsoftonline.com/botframework.com/oauth2/v2.0/token';

/**
 * The bot's outbound credentials: a client-credentials grant against a configurable token
 * endpoint (Azure AD by default), so ConnectorClient signs requests the way the Bot Connector
 * expects. With no app id, AppCredentials sends no header at all (local use, the Emulator).
 */
export class TokenEndpointCredentials extends AppCredentials {
  constructor(
    appId: string,
    private readonly appPassword: string,
    private readonly tokenUrl: string = defaultTokenUrl,
  ) {
    super(appId, undefined, 'https://api.botframework.com/.default');
    this.tokenCacheKey = `${tokenUrl}|${appId}`;
  }

  protected override async refreshToken(): Promise<AuthenticatorResult> {
    const response = await fetch(this.tokenUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: this.appId, client_secret: this.appPassword, scope: this.oAuthScope }),
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) throw new Error(`token endpoint answered ${response.status}`);
    const body = (await response.json()) as { access_token: string; expires_in?: number };
    return { accessToken: body.access_token, expiresOn: new Date(Date.now() + (body.expires_in ?? 3600) * 1000) };
  }
}
