// The identity a service gets from a verified request: who the gateway authenticated, with the
// claims the gateway forwards (docs/internal-tokens.md lists them).

export interface GatehouseIdentity {
  /** `sub` of the end user's or client's token; undefined on routes without authentication. */
  subject?: string;
  /** The issuer that authenticated the caller (`orig_iss` of an internal token). */
  originalIssuer?: string;
  /** From `scope` (space-separated, RFC 8693 §4.2) or `scp` (array). */
  scopes: readonly string[];
  /** From `roles` (array or space-separated string). */
  roles: readonly string[];
  /** Every claim as received. */
  claims: Readonly<Record<string, unknown>>;
  /** Where the identity came from. */
  source: 'internal-token' | 'payload-header';
}

export function identityFromInternalToken(claims: Record<string, unknown>): GatehouseIdentity {
  return {
    subject: stringClaim(claims.sub),
    originalIssuer: stringClaim(claims.orig_iss),
    scopes: scopesOf(claims),
    roles: listClaim(claims.roles),
    claims: Object.freeze({ ...claims }),
    source: 'internal-token',
  };
}

/** The gateway's payload header carries the caller's original token payload. */
export function identityFromPayload(claims: Record<string, unknown>): GatehouseIdentity {
  return {
    subject: stringClaim(claims.sub),
    originalIssuer: stringClaim(claims.iss),
    scopes: scopesOf(claims),
    roles: listClaim(claims.roles),
    claims: Object.freeze({ ...claims }),
    source: 'payload-header',
  };
}

function scopesOf(claims: Record<string, unknown>): string[] {
  return claims.scope !== undefined ? listClaim(claims.scope) : listClaim(claims.scp);
}

function listClaim(value: unknown): string[] {
  if (typeof value === 'string') return value.split(' ').filter((item) => item !== '');
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return [];
}

function stringClaim(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
