// Signs the internal tokens one generation forwards: ES256 JWTs with `iss` the gateway, `aud`
// the one backend service, and a minimal copy of the verified identity. Signing costs far more
// than a lookup, so a token is cached per (identity, audience) and reused until three quarters
// of its lifetime passed — the service always receives a token with time left to verify it.
// Identities come from the verified-token cache, so one client token maps to one Identity
// object and a WeakMap keyed by it frees entries together with the identity.
import { randomUUID, sign } from 'node:crypto';
import type { GatewayIdentity } from '../../model/gateway-model.ts';
import type { Identity } from '../../model/identity.ts';
import type { SigningKey } from './gateway-signing-keys.ts';

/** Claims copied from the verified token when present (docs/internal-tokens.md lists them). */
const COPIED_CLAIMS = ['scope', 'roles', 'groups', 'email', 'client_id', 'azp'] as const;

interface CachedToken {
  token: string;
  renewAtMs: number;
}

export class InternalTokenMinter {
  private readonly issuer: string;
  private readonly lifetimeSeconds: number;
  private readonly key: SigningKey;
  private readonly encodedHeader: string;
  private readonly byIdentity = new WeakMap<Identity, Map<string, CachedToken>>();
  /** Requests without a verified identity (routes without authentication) share one per audience. */
  private readonly anonymous = new Map<string, CachedToken>();

  constructor(gatewayIdentity: GatewayIdentity, key: SigningKey) {
    this.issuer = gatewayIdentity.issuer;
    this.lifetimeSeconds = gatewayIdentity.tokenLifetimeSeconds;
    this.key = key;
    this.encodedHeader = Buffer.from(JSON.stringify({ alg: 'ES256', typ: 'JWT', kid: key.kid })).toString('base64url');
  }

  tokenFor(identity: Identity | undefined, audience: string, nowMs: number = Date.now()): string {
    const perAudience = identity === undefined ? this.anonymous : this.tokensOf(identity);
    const cached = perAudience.get(audience);
    if (cached !== undefined && nowMs < cached.renewAtMs) return cached.token;
    const issuedAt = Math.floor(nowMs / 1000);
    // Never outlive the token the client presented: its expiry bounds what the gateway vouches for.
    const expiresAt = Math.min(issuedAt + this.lifetimeSeconds, identity?.expiresAt ?? Number.POSITIVE_INFINITY);
    const token = this.sign(identity, audience, issuedAt, expiresAt);
    perAudience.set(audience, { token, renewAtMs: (issuedAt + ((expiresAt - issuedAt) * 3) / 4) * 1000 });
    return token;
  }

  private tokensOf(identity: Identity): Map<string, CachedToken> {
    let tokens = this.byIdentity.get(identity);
    if (tokens === undefined) {
      tokens = new Map();
      this.byIdentity.set(identity, tokens);
    }
    return tokens;
  }

  private sign(identity: Identity | undefined, audience: string, issuedAt: number, expiresAt: number): string {
    const claims: Record<string, unknown> = { iss: this.issuer, aud: audience };
    if (identity !== undefined) {
      if (identity.subject !== '') claims.sub = identity.subject;
      claims.orig_iss = identity.issuer;
      for (const name of COPIED_CLAIMS) if (identity.claims[name] !== undefined) claims[name] = identity.claims[name];
      // `scp` (an array, Azure AD / Okta) is carried as the RFC 8693 §4.2 `scope` string.
      const scp = identity.claims.scp;
      if (claims.scope === undefined && Array.isArray(scp)) claims.scope = scp.join(' ');
    }
    claims.iat = issuedAt;
    claims.exp = expiresAt;
    claims.jti = randomUUID();
    const signingInput = `${this.encodedHeader}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
    // RFC 7518 §3.4: ES256 signatures are R || S (64 bytes), not DER.
    const signature = sign('sha256', Buffer.from(signingInput), { key: this.key.privateKey, dsaEncoding: 'ieee-p1363' });
    return `${signingInput}.${signature.toString('base64url')}`;
  }
}
