// OAuth 2.0 client credentials (RFC 6749 §4.4) for service-to-service calls: one token per
// (audience, scope), cached, renewed before it expires, and fetched once however many callers
// ask at the same moment (single flight). Within the renewal window callers keep getting the
// still-valid token while one background request fetches the next, so no call waits on it.
import { ClientCredentialsError } from './errors.ts';

export interface ClientCredentialsOptions {
  tokenUrl: string | URL;
  clientId: string;
  clientSecret: string;
  /** Default audience of tokens (override per call). */
  audience?: string;
  /** Default space-separated scope (override per call). */
  scope?: string;
  /** Form parameter naming the audience: `audience` (Auth0, Gatehouse identity) or `resource` (RFC 8707). */
  audienceParameter?: 'audience' | 'resource';
  /** Renew this many seconds before expiry (default 60, at most half the token's lifetime). */
  refreshBeforeSeconds?: number;
  /** Token endpoint timeout in milliseconds (default 5000). */
  timeoutMs?: number;
  /** Clock in milliseconds (tests). */
  now?: () => number;
}

export interface TokenRequest {
  audience?: string;
  scope?: string;
}

export interface ClientCredentials {
  /** A valid access token for the audience and scope. */
  token(request?: TokenRequest): Promise<string>;
}

interface CachedToken {
  accessToken: string;
  renewAtMs: number;
  expiresAtMs: number;
}

/** Lifetime assumed when the endpoint sends no expires_in (RFC 6749 §5.1 makes it optional). */
const DEFAULT_LIFETIME_SECONDS = 300;

export function clientCredentials(options: ClientCredentialsOptions): ClientCredentials {
  const now = options.now ?? Date.now;
  const cache = new Map<string, CachedToken>();
  const inFlight = new Map<string, Promise<CachedToken>>();

  const fetchOnce = (key: string, request: TokenRequest): Promise<CachedToken> => {
    let pending = inFlight.get(key);
    if (pending === undefined) {
      pending = requestToken(options, request, now())
        .then((fresh) => {
          cache.set(key, fresh);
          return fresh;
        })
        .finally(() => inFlight.delete(key));
      inFlight.set(key, pending);
    }
    return pending;
  };

  return {
    async token(request = {}) {
      const resolved = { audience: request.audience ?? options.audience, scope: request.scope ?? options.scope };
      const key = `${resolved.audience ?? ''}\n${resolved.scope ?? ''}`;
      const cached = cache.get(key);
      const time = now();
      if (cached !== undefined && time < cached.expiresAtMs) {
        // Renewal failures surface on a later call once the cached token has expired.
        if (time >= cached.renewAtMs) fetchOnce(key, resolved).catch(() => undefined);
        return cached.accessToken;
      }
      return (await fetchOnce(key, resolved)).accessToken;
    },
  };
}

async function requestToken(options: ClientCredentialsOptions, request: TokenRequest, requestedAtMs: number): Promise<CachedToken> {
  const form = new URLSearchParams({ grant_type: 'client_credentials' });
  if (request.scope !== undefined) form.set('scope', request.scope);
  if (request.audience !== undefined) form.set(options.audienceParameter ?? 'audience', request.audience);
  // RFC 6749 §2.3.1: client_secret_basic, each part form-urlencoded before base64.
  const basic = Buffer.from(`${formEncode(options.clientId)}:${formEncode(options.clientSecret)}`).toString('base64');
  let response: Response;
  try {
    response = await fetch(options.tokenUrl, {
      method: 'POST',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: form,
      signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
    });
  } catch (error) {
    throw new ClientCredentialsError('the token endpoint could not be reached', 0, undefined, error);
  }
  const body = (await response.json().catch(() => ({}))) as { access_token?: unknown; expires_in?: unknown; error?: unknown };
  if (!response.ok || typeof body.access_token !== 'string') {
    const oauthError = typeof body.error === 'string' ? body.error : undefined;
    throw new ClientCredentialsError(`the token endpoint refused the request (${response.status}${oauthError ? ` ${oauthError}` : ''})`, response.status, oauthError);
  }
  const lifetimeSeconds = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : DEFAULT_LIFETIME_SECONDS;
  const refreshBefore = Math.min(options.refreshBeforeSeconds ?? 60, lifetimeSeconds / 2);
  return {
    accessToken: body.access_token,
    renewAtMs: requestedAtMs + (lifetimeSeconds - refreshBefore) * 1000,
    expiresAtMs: requestedAtMs + lifetimeSeconds * 1000,
  };
}

/** RFC 6749 Appendix B: application/x-www-form-urlencoded (a space becomes '+'). */
function formEncode(value: string): string {
  return new URLSearchParams([['', value]]).toString().slice(1);
}
