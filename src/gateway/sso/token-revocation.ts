// Token revocation at the issuer (RFC 7009 §2.1), authenticated with client_secret_basic like the
// token requests: at logout the session's refresh token is revoked, so a copy of the cookie (or
// of the token) taken before the logout cannot mint new access tokens afterwards.
import { request } from 'undici';
import { clientSecretBasic } from '../../authn/client-secret-basic.ts';
import type { BrowserLogin } from '../../model/browser-login.ts';
import { SsoError } from './sso-error.ts';

export async function revokeToken(
  login: Pick<BrowserLogin, 'clientId' | 'clientSecret' | 'timeoutMs'>,
  revocationEndpoint: string,
  token: string,
  tokenTypeHint: 'refresh_token' | 'access_token',
): Promise<void> {
  let status: number;
  try {
    const response = await request(revocationEndpoint, {
      method: 'POST',
      headers: { authorization: clientSecretBasic(login.clientId, login.clientSecret), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token, token_type_hint: tokenTypeHint }).toString(),
      headersTimeout: login.timeoutMs,
      bodyTimeout: login.timeoutMs,
      signal: AbortSignal.timeout(login.timeoutMs),
    });
    status = response.statusCode;
    await response.body.dump();
  } catch (error) {
    throw new SsoError('sso_revocation_failed', `revocation endpoint unreachable: ${(error as Error).message}`);
  }
  // §2.2: 200 also for a token that was already invalid; anything else is a refusal.
  if (status !== 200) throw new SsoError('sso_revocation_failed', `revocation endpoint answered ${status}`);
}
