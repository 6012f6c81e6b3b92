// One request to the token endpoint (RFC 6749 §3.2) over undici: the authorization_code grant
// (§4.1.3) or the refresh_token grant (§6), authenticated with client_secret_basic (§2.3.1),
// with the resource indicator (RFC 8707 §2.2). The answer must be a bearer access token.
import { decodeJwt } from 'jose';
import { request } from 'undici';
import { clientSecretBasic } from '../../authn/client-secret-basic.ts';
import { readLimitedText, ResponseTooLargeError } from '../../authn/read-limited-text.ts';
import type { BrowserLogin } from '../../model/browser-login.ts';
import { SsoError } from './sso-error.ts';

export interface TokenSet {
  accessToken: string;
  /** Epoch seconds. */
  accessTokenExpiresAt: number;
  refreshToken?: string;
  idToken?: string;
}

const MAX_RESPONSE_BYTES = 256 * 1024;

export async function requestTokens(login: BrowserLogin, tokenEndpoint: string, grant: Record<string, string>, nowSeconds: number): Promise<TokenSet> {
  const form = new URLSearchParams(grant);
  if (login.resource !== undefined) form.set('resource', login.resource);
  let status: number;
  let text: string;
  try {
    const response = await request(tokenEndpoint, {
      method: 'POST',
      headers: {
        authorization: clientSecretBasic(login.clientId, login.clientSecret),
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: form.toString(),
      headersTimeout: login.timeoutMs,
      bodyTimeout: login.timeoutMs,
      signal: AbortSignal.timeout(login.timeoutMs),
    });
    status = response.statusCode;
    text = await readLimitedText(response.body, MAX_RESPONSE_BYTES);
  } catch (error) {
    if (error instanceof ResponseTooLargeError) throw new SsoError('sso_token_request_failed', 'token response too large');
    throw new SsoError('sso_token_request_failed', `token endpoint unreachable: ${(error as Error).message}`);
  }
  const body = parseJson(text);
  if (status !== 200 || body === undefined) {
    // §5.2: the error code is safe to log; the description may echo input, so it is left out.
    const error = typeof body?.error === 'string' ? ` ${body.error}` : '';
    throw new SsoError('sso_token_request_failed', `token endpoint answered ${status}${error}`);
  }
  if (typeof body.access_token !== 'string' || typeof body.token_type !== 'string' || body.token_type.toLowerCase() !== 'bearer') {
    throw new SsoError('sso_token_request_failed', 'token response has no bearer access_token');
  }
  const expiresIn = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : undefined;
  const tokens: TokenSet = { accessToken: body.access_token, accessTokenExpiresAt: nowSeconds + (expiresIn ?? jwtLifetime(body.access_token, nowSeconds)) };
  if (typeof body.refresh_token === 'string') tokens.refreshToken = body.refresh_token;
  if (typeof body.id_token === 'string') tokens.idToken = body.id_token;
  return tokens;
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Without expires_in, a JWT access token's own exp says when to refresh (unverified: scheduling only). */
function jwtLifetime(accessToken: string, nowSeconds: number): number {
  try {
    const { exp } = decodeJwt(accessToken);
    if (typeof exp === 'number' && exp > nowSeconds) return exp - nowSeconds;
  } catch {
    // not a JWT: fall through
  }
  return 300;
}
