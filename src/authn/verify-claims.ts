// Registered-claim checks (RFC 7519 §4.1) with the provider's leeway. Done by us rather than by
// jose's jwtVerify so each failure maps to its own stable reason code.
import type { JwtProvider } from '../model/gateway-model.ts';
import { readClaim } from './claim-path.ts';
import { AuthnError } from './errors.ts';

export function verifyClaims(provider: JwtProvider, payload: Readonly<Record<string, unknown>>, nowSeconds: number): void {
  const leeway = provider.clockSkewSeconds;
  const exp = numericDate(payload, 'exp');
  const nbf = numericDate(payload, 'nbf');
  const iat = numericDate(payload, 'iat');

  // §4.1.4: the current time MUST be before exp (plus leeway).
  if (exp === undefined) {
    if (provider.requireExp) throw new AuthnError('jwt_exp_missing');
  } else if (nowSeconds >= exp + leeway) {
    throw new AuthnError('jwt_expired');
  }
  // §4.1.5: not accepted before nbf (minus leeway).
  if (nbf !== undefined && nowSeconds + leeway < nbf) throw new AuthnError('jwt_not_yet_valid');
  // §4.1.6 says nothing about a future iat; a token issued in the future is a clock or forgery problem.
  if (iat !== undefined && iat > nowSeconds + leeway) throw new AuthnError('jwt_iat_in_future');

  // §4.1.1: iss is compared exactly ('*' providers accept any issuer).
  if (provider.issuer !== '*' && payload.iss !== provider.issuer) throw new AuthnError('jwt_issuer_not_configured');

  // §4.1.3: aud is a string or an array; one configured audience must appear (Istio semantics).
  if (provider.audiences.length > 0 && !audienceMatches(payload.aud, provider.audiences)) {
    throw new AuthnError('jwt_audience_mismatch');
  }

  for (const claim of provider.requiredClaims) {
    const value = readClaim(payload, claim);
    if (value === undefined || value === null) throw new AuthnError('jwt_missing_claim', `Jwt is missing the required claim "${claim}"`);
  }

  if (provider.maxTokenLifetimeSeconds !== undefined) {
    if (exp === undefined) throw new AuthnError('jwt_exp_missing', 'Jwt has no exp claim but a maximum lifetime is configured');
    const start = iat ?? nbf ?? nowSeconds;
    if (exp - start > provider.maxTokenLifetimeSeconds) throw new AuthnError('jwt_lifetime_too_long');
  }
}

export function audiencesOf(payload: Readonly<Record<string, unknown>>): string[] {
  const aud = payload.aud;
  if (typeof aud === 'string') return [aud];
  return Array.isArray(aud) ? aud.filter((value): value is string => typeof value === 'string') : [];
}

function audienceMatches(aud: unknown, allowed: readonly string[]): boolean {
  if (typeof aud === 'string') return allowed.includes(aud);
  return Array.isArray(aud) && aud.some((value) => typeof value === 'string' && allowed.includes(value));
}

/** §2 NumericDate: a JSON number of seconds; anything else present is a malformed token. */
function numericDate(payload: Readonly<Record<string, unknown>>, claim: string): number | undefined {
  const value = payload[claim];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new AuthnError('jwt_malformed', `Jwt claim "${claim}" is not a NumericDate`);
  return value;
}
