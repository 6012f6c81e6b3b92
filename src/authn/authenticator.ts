// The authenticate stage's engine: find the token, pick the provider by the token's `iss`,
// verify it (or find it in the verified-token cache) and produce an Identity or a Rejection.
// A cache hit is synchronous and allocation-light: no promise, no JSON, no base64.
import type { IncomingHttpHeaders } from 'node:http';
import type { Rejection } from '../gateway/context.ts';
import type { JwtProvider, TokenLocation } from '../model/gateway-model.ts';
import type { Identity } from '../model/identity.ts';
import type { RevocationCheck } from '../gateway/revocation/revocation-check.ts';
import { isAuthenticationReason } from '../gateway/reasons.ts';
import { decodeToken } from './decode-token.ts';
import { AuthnError, toAuthnError } from './errors.ts';
import { assertCompactJws, extractToken, isCompactJws } from './extract-token.ts';
import { compileLocations, providerForIssuer, type CompiledLocation } from './compiled-locations.ts';
import type { KeySetRegistry } from './key-set-registry.ts';
import type { AuthnObserver } from './observer.ts';
import { buildUpstreamHeaders, outputHeaderNamesOf } from './output-headers.ts';
import { cacheExpiryMs, type VerifiedToken, type VerifiedTokenCache } from './verified-token-cache.ts';
import { audiencesOf } from './verify-claims.ts';
import { compileTokenVerifier, verifyToken, type TokenVerifier } from './verify-token.ts';
import type { TokenExchanger } from './token-exchange.ts';
import { compileExchangeAuthentication } from './exchange-authentication.ts';

export interface AuthRequest {
  headers: IncomingHttpHeaders;
  /** Raw query string, without '?'. */
  query: string;
}

export type AuthOutcome =
  | { kind: 'anonymous' }
  | { kind: 'verified'; identity: Identity; upstreamHeaders: Record<string, string>; removeToken?: TokenLocation }
  | { kind: 'rejected'; rejection: Rejection };

export interface Authenticator {
  /** Synchronous on a verified-token-cache hit. Returned outcomes may be shared: treat them as read-only. */
  authenticate(request: AuthRequest): AuthOutcome | Promise<AuthOutcome>;
  /** Every header name (lower-case) this authenticator may set upstream. */
  readonly outputHeaderNames: readonly string[];
}

export interface CompileAuthenticatorOptions {
  requireToken: boolean;
  registry: KeySetRegistry;
  cache: VerifiedTokenCache;
  observer?: AuthnObserver;
  /** Larger tokens are refused unparsed (jwt_too_large); default MAX_TOKEN_BYTES. */
  maxTokenBytes?: number;
  /** Milliseconds since the epoch; injectable for tests. */
  now?: () => number;
  /** Revoked tokens are refused, cached ones included (docs/revocation.md). */
  revocations?: RevocationCheck;
  /** Opaque tokens are exchanged for a JWT, which is verified and forwarded instead (docs/phantom-tokens.md). */
  exchanger?: TokenExchanger;
}

const ANONYMOUS: AuthOutcome = Object.freeze({ kind: 'anonymous' });

export function compileAuthenticator(providers: JwtProvider[], options: CompileAuthenticatorOptions): Authenticator {
  const { cache, observer, requireToken, maxTokenBytes, revocations, exchanger } = options;
  const now = options.now ?? Date.now;
  const verifiers = providers.map((provider) => verifierFor(provider, options.registry));
  const locations = compileLocations(verifiers);
  const fallback = verifiers[0];
  // Outcomes are reused per (token, location) so a cache hit allocates nothing.
  const outcomes = new WeakMap<VerifiedToken, { location: CompiledLocation; outcome: AuthOutcome }>();

  function reject(error: unknown, verifier: TokenVerifier | undefined): AuthOutcome {
    const { code, detail } = toAuthnError(error);
    observer?.authFailure(code);
    const provider = verifier?.provider;
    // A 503 (the token exchange is down) is no verdict on the token: no bearer error for it.
    const bearerError = isAuthenticationReason(code) ? 'invalid_token' : undefined;
    return { kind: 'rejected', rejection: { code, detail, realm: provider?.realm, loginUrl: provider?.loginUrl, bearerError } };
  }

  function refuseRevoked(token: string, verifier: TokenVerifier): AuthOutcome {
    cache.delete(token);
    return reject(new AuthnError('token_revoked'), verifier);
  }

  function outcomeOf(entry: VerifiedToken, location: CompiledLocation): AuthOutcome {
    const cached = outcomes.get(entry);
    if (cached !== undefined && cached.location === location) return cached.outcome;
    const removeToken = entry.verifier.provider.forwardOriginalToken ? undefined : location.original;
    const outcome: AuthOutcome = Object.freeze({ kind: 'verified', identity: entry.identity, upstreamHeaders: entry.upstreamHeaders as Record<string, string>, removeToken });
    outcomes.set(entry, { location, outcome });
    return outcome;
  }

  async function verifyAndCache(token: string, location: CompiledLocation, nowMs: number): Promise<AuthOutcome> {
    const result = await verifyToEntry(token, location, nowMs);
    return 'kind' in result ? result : outcomeOf(result, location);
  }

  /** Verifies a JWT and caches the entry; a refusal comes back as a rejected outcome. */
  async function verifyToEntry(token: string, location: CompiledLocation, nowMs: number): Promise<VerifiedToken | AuthOutcome> {
    let verifier: TokenVerifier | undefined = location.verifiers[0];
    try {
      const decoded = decodeToken(token);
      const iss = decoded.payload.iss;
      verifier = providerForIssuer(location, typeof iss === 'string' ? iss : '');
      if (verifier === undefined) {
        verifier = location.verifiers[0];
        return reject(new AuthnError('jwt_issuer_not_configured'), verifier);
      }
      const keySetVersion = await verifyToken(verifier, token, decoded, Math.floor(nowMs / 1000));
      const { payload } = decoded;
      const provider = verifier.provider;
      const issuer = typeof iss === 'string' ? iss : '';
      const subject = typeof payload.sub === 'string' ? payload.sub : '';
      const exp = typeof payload.exp === 'number' ? payload.exp : undefined;
      const entry: VerifiedToken = {
        verifier,
        keySetVersion,
        expiresAtMs: cacheExpiryMs(exp, nowMs),
        identity: Object.freeze({
          issuer,
          subject,
          principal: `${issuer}/${subject}`,
          audiences: audiencesOf(payload),
          claims: Object.freeze(payload),
          providerId: provider.id,
          tokenKind: 'jwt',
          expiresAt: exp,
        }),
        upstreamHeaders: buildUpstreamHeaders(provider, payload, decoded.payloadSegment),
      };
      if (revocations?.revokesIdentity(entry.identity)) return reject(new AuthnError('token_revoked'), verifier);
      cache.set(token, entry);
      return entry;
    } catch (error) {
      return reject(error, verifier);
    }
  }

  /** A cache entry counts only if this location would pick the same provider for the token's iss. */
  function cachedFor(token: string, location: CompiledLocation, nowMs: number): VerifiedToken | undefined {
    const entry = cache.get(token, nowMs);
    return entry !== undefined && providerForIssuer(location, entry.identity.issuer) === entry.verifier ? entry : undefined;
  }

  const authenticateOpaque = exchanger && compileExchangeAuthentication(exchanger, { observer, revocations, cachedFor, verifyToEntry, reject, refuseRevoked });

  return {
    outputHeaderNames: Object.freeze([...new Set(providers.flatMap(outputHeaderNamesOf))]),
    authenticate(request: AuthRequest): AuthOutcome | Promise<AuthOutcome> {
      let extracted;
      try {
        extracted = extractToken(locations, request.headers, request.query, maxTokenBytes);
      } catch (error) {
        return reject(error, fallback);
      }
      if (extracted === undefined) {
        if (!requireToken) return ANONYMOUS;
        observer?.authFailure('jwt_missing');
        // RFC 6750 §3.1: a request with no credentials gets no error code, only the challenge.
        const provider = fallback?.provider;
        return { kind: 'rejected', rejection: { code: 'jwt_missing', realm: provider?.realm, loginUrl: provider?.loginUrl } };
      }
      const { token, location } = extracted;
      const nowMs = now();
      const entry = cachedFor(token, location, nowMs);
      if (entry !== undefined) {
        observer?.tokenCache('hit');
        if (revocations?.revokesIdentity(entry.identity)) return refuseRevoked(token, entry.verifier);
        return outcomeOf(entry, location);
      }
      if (authenticateOpaque !== undefined && !isCompactJws(token)) return authenticateOpaque(token, location, nowMs);
      observer?.tokenCache('miss');
      try {
        assertCompactJws(token);
      } catch (error) {
        return reject(error, location.verifiers[0]);
      }
      return verifyAndCache(token, location, nowMs);
    },
  };
}

// One compiled verifier per provider object and registry, so authenticators of the same
// generation (several routes) share verified-token cache entries instead of evicting each other's.
const verifiersByRegistry = new WeakMap<KeySetRegistry, WeakMap<JwtProvider, TokenVerifier>>();

function verifierFor(provider: JwtProvider, registry: KeySetRegistry): TokenVerifier {
  let verifiers = verifiersByRegistry.get(registry);
  if (verifiers === undefined) verifiersByRegistry.set(registry, (verifiers = new WeakMap()));
  const keySet = registry.keySetFor(provider);
  let verifier = verifiers.get(provider);
  if (verifier === undefined || verifier.keySet !== keySet) {
    verifier = compileTokenVerifier(provider, keySet);
    verifiers.set(provider, verifier);
  }
  return verifier;
}
