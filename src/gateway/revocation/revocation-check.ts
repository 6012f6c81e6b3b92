// What the authenticator asks about a token: is it revoked? One per generation, over the
// process-wide RevocationSet of the configured feed, limited to the feed's issuers (a `sub` or
// `jti` of one issuer says nothing about another issuer's tokens).
import type { Identity } from '../../model/identity.ts';
import type { RevocationSet } from '../../authn/revocation-set.ts';

export interface RevocationCheck {
  /** A verified JWT. */
  revokesIdentity(identity: Identity): boolean;
  /** An opaque or API token, by the SHA-256 hex of the token string. */
  revokesTokenHash(tokenHash: string): boolean;
}

export function createRevocationCheck(set: RevocationSet, issuers: readonly string[]): RevocationCheck {
  const scoped = issuers.length === 0 ? undefined : new Set(issuers);
  return {
    revokesIdentity: (identity) => set.size !== 0 && (scoped === undefined || scoped.has(identity.issuer)) && set.revokesClaims(identity.claims),
    revokesTokenHash: (tokenHash) => set.revokesTokenHash(tokenHash),
  };
}
