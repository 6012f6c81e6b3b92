// One RFC 8693 token exchange at the identity service: the gateway, authenticated as its own
// client (client_secret_basic, RFC 6749 §2.3.1), trades the opaque token a caller presented for
// a JWT with the configured audience (RFC 8707 `resource`). Outcomes are three: a JWT; the token
// was refused (`invalid_grant`: unknown, revoked, expired — the caller's problem, 401); or the
// exchange itself failed (unreachable, timeout, the gateway's client refused — ours, 503).
import type { TokenExchangeSettings } from '../model/token-exchange.ts';
import { clientSecretBasic } from './client-secret-basic.ts';
import { readLimitedText } from './read-limited-text.ts';

/** RFC 8693 §3: token type identifiers. */
const GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';
/** A token response carries one JWT (a few KiB); anything far larger is not a token response. */
const MAX_RESPONSE_BYTES = 64 * 1024;
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

export type ExchangeResponse =
  | { kind: 'exchanged'; jwt: string }
  | { kind: 'rejected' }
  /** `reason` is for the log: an OAuth error code, an HTTP status or a network error, never a token. */
  | { kind: 'unavailable'; reason: string };

type ExchangeEndpoint = Pick<TokenExchangeSettings, 'tokenEndpoint' | 'clientId' | 'clientSecret' | 'audience' | 'timeoutMs'>;

export async function requestTokenExchange(settings: ExchangeEndpoint, subjectToken: string, fetchImpl: typeof fetch = fetch): Promise<ExchangeResponse> {
  const body = new URLSearchParams({
    grant_type: GRANT_TYPE,
    subject_token: subjectToken,
    subject_token_type: ACCESS_TOKEN_TYPE,
    resource: settings.audience,
  });
  let response: Response;
  try {
    response = await fetchImpl(settings.tokenEndpoint, {
      method: 'POST',
      headers: {
        authorization: clientSecretBasic(settings.clientId, settings.clientSecret),
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body,
      signal: AbortSignal.timeout(settings.timeoutMs),
      redirect: 'error',
    });
  } catch (error) {
    return { kind: 'unavailable', reason: networkReason(error) };
  }
  let payload: unknown;
  try {
    payload = JSON.parse(await readLimitedText(response.body, MAX_RESPONSE_BYTES));
  } catch {
    return { kind: 'unavailable', reason: `HTTP ${response.status} without a JSON body` };
  }
  const fields = (typeof payload === 'object' && payload !== null ? payload : {}) as Record<string, unknown>;
  if (response.ok) {
    const jwt = fields.access_token;
    return typeof jwt === 'string' && COMPACT_JWS.test(jwt)
      ? { kind: 'exchanged', jwt }
      : { kind: 'unavailable', reason: 'the token endpoint answered without a JWT access_token' };
  }
  // RFC 6749 §5.2: invalid_grant = the subject token is not (or no longer) good.
  if (fields.error === 'invalid_grant') return { kind: 'rejected' };
  const error = typeof fields.error === 'string' ? fields.error.slice(0, 64) : 'no error code';
  return { kind: 'unavailable', reason: `HTTP ${response.status} ${error}` };
}

function networkReason(error: unknown): string {
  if (error instanceof Error && error.name === 'TimeoutError') return 'timed out';
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  if (typeof cause?.code === 'string') return cause.code;
  return error instanceof Error ? error.message : String(error);
}
