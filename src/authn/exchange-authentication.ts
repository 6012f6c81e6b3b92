// The phantom-token path of the authenticator (docs/phantom-tokens.md): an opaque token is
// exchanged for a JWT at the identity service, the JWT is verified like any other (its issuer
// must be one of the route's providers) and forwarded as `Authorization: Bearer`, while the opaque
// token goes nowhere. The authenticator hands over the steps it shares with the JWT path.
import type { AuthOutcome } from './authenticator.ts';
import type { CompiledLocation } from './compiled-locations.ts';
import type { RevocationCheck } from '../gateway/revocation/revocation-check.ts';
import type { AuthnObserver } from './observer.ts';
import type { ExchangedToken, TokenExchanger } from './token-exchange.ts';
import type { VerifiedToken } from './verified-token-cache.ts';
import type { TokenVerifier } from './verify-token.ts';

/** What the exchange path borrows from the authenticator's JWT path. */
export interface JwtPathSteps {
  readonly observer?: AuthnObserver;
  readonly revocations?: RevocationCheck;
  /** The verified-token cache entry for this JWT, if this location would pick the same provider. */
  cachedFor(jwt: string, location: CompiledLocation, nowMs: number): VerifiedToken | undefined;
  /** Verifies a JWT and caches the entry; a refusal comes back as a rejected outcome. */
  verifyToEntry(jwt: string, location: CompiledLocation, nowMs: number): Promise<VerifiedToken | AuthOutcome>;
  reject(error: unknown, verifier: TokenVerifier | undefined): AuthOutcome;
  refuseRevoked(jwt: string, verifier: TokenVerifier): AuthOutcome;
}

export type ExchangeAuthentication = (token: string, location: CompiledLocation, nowMs: number) => AuthOutcome | Promise<AuthOutcome>;

export function compileExchangeAuthentication(exchanger: TokenExchanger, steps: JwtPathSteps): ExchangeAuthentication {
  const { observer, revocations } = steps;
  // Outcomes are reused per (token, location) so a cache hit allocates nothing.
  const outcomes = new WeakMap<VerifiedToken, { location: CompiledLocation; outcome: AuthOutcome }>();

  /** Phantom tokens: the JWT goes upstream as `Authorization: Bearer`, the opaque token nowhere. */
  function outcomeOf(entry: VerifiedToken, exchanged: ExchangedToken, location: CompiledLocation): AuthOutcome {
    const cached = outcomes.get(entry);
    if (cached !== undefined && cached.location === location) return cached.outcome;
    const upstreamHeaders = Object.freeze({ ...entry.upstreamHeaders, authorization: `Bearer ${exchanged.jwt}` });
    const outcome: AuthOutcome = Object.freeze({ kind: 'verified', identity: entry.identity, upstreamHeaders, removeToken: location.original });
    outcomes.set(entry, { location, outcome });
    return outcome;
  }

  /** The exchanged JWT is verified like any other: its issuer must be one of this route's providers. */
  function afterExchange(exchanged: ExchangedToken, location: CompiledLocation, nowMs: number): AuthOutcome | Promise<AuthOutcome> {
    const entry = steps.cachedFor(exchanged.jwt, location, nowMs);
    if (entry !== undefined) {
      observer?.tokenCache('hit');
      if (revocations?.revokesIdentity(entry.identity)) {
        exchanger.forget(exchanged.tokenHash);
        return steps.refuseRevoked(exchanged.jwt, entry.verifier);
      }
      return outcomeOf(entry, exchanged, location);
    }
    observer?.tokenCache('miss');
    return steps.verifyToEntry(exchanged.jwt, location, nowMs).then((result) => {
      if ('kind' in result) {
        if (result.kind === 'rejected' && result.rejection.code === 'token_revoked') exchanger.forget(exchanged.tokenHash);
        return result;
      }
      return outcomeOf(result, exchanged, location);
    });
  }

  return (token, location, nowMs) => {
    let exchanged: ExchangedToken | Promise<ExchangedToken>;
    try {
      exchanged = exchanger.exchange(token, nowMs, revocations);
    } catch (error) {
      return steps.reject(error, location.verifiers[0]);
    }
    if (exchanged instanceof Promise) {
      return exchanged.then((settled) => afterExchange(settled, location, nowMs), (error: unknown) => steps.reject(error, location.verifiers[0]));
    }
    return afterExchange(exchanged, location, nowMs);
  };
}
