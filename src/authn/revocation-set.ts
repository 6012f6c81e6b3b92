// What a verifier currently knows to be revoked — a gateway (filled by its revocation feed) or
// the identity service's account API (from its store) — held in memory and consulted on every
// authenticated request (a cache hit included), so lookups are Map reads and an empty set costs
// one comparison. Entries leave once their expiresAt passed (no token they cover can still be
// valid then).
import type { RevocationRecord } from '../store/identity-store.ts';

/** Every token of a client or subject issued at or before `revokedAt` is refused. */
interface Cutoff {
  revokedAt: number;
  expiresAt: number;
}

export class RevocationSet {
  readonly #jti = new Map<string, number>();
  readonly #tokenHash = new Map<string, number>();
  readonly #client = new Map<string, Cutoff>();
  readonly #subject = new Map<string, Cutoff>();

  get size(): number {
    return this.#jti.size + this.#tokenHash.size + this.#client.size + this.#subject.size;
  }

  /** Adds a record (the later expiry and cutoff win on a repeat); false when it already expired. */
  apply(record: RevocationRecord, nowSeconds: number): boolean {
    if (record.expiresAt < nowSeconds) return false;
    switch (record.kind) {
      case 'jti':
        return keepLater(this.#jti, record.value, record.expiresAt);
      case 'token-hash':
        return keepLater(this.#tokenHash, record.value, record.expiresAt);
      case 'client':
        return widenCutoff(this.#client, record);
      case 'subject':
        return widenCutoff(this.#subject, record);
    }
  }

  /** An opaque or API token, by the SHA-256 hex of the whole token string. */
  revokesTokenHash(tokenHash: string): boolean {
    return this.#tokenHash.size !== 0 && this.#tokenHash.has(tokenHash);
  }

  /**
   * A verified JWT, by its claims: its `jti`, or its `sub` / `client_id` (RFC 9068 §2.2; `azp`
   * for OIDC tokens) when it was issued (`iat`) at or before that cutoff. A token without `iat`
   * cannot show it is newer than a cutoff, so it is refused (fail closed).
   */
  revokesClaims(claims: Readonly<Record<string, unknown>>): boolean {
    if (this.#jti.size !== 0 && typeof claims.jti === 'string' && this.#jti.has(claims.jti)) return true;
    if (this.#subject.size !== 0 && typeof claims.sub === 'string' && cutOff(this.#subject.get(claims.sub), claims.iat)) return true;
    if (this.#client.size === 0) return false;
    const client = typeof claims.client_id === 'string' ? claims.client_id : claims.azp;
    return typeof client === 'string' && cutOff(this.#client.get(client), claims.iat);
  }

  /** Forgets entries whose expiresAt passed; returns how many. */
  prune(nowSeconds: number): number {
    let removed = 0;
    for (const map of [this.#jti, this.#tokenHash] as Map<string, number>[]) {
      for (const [value, expiresAt] of map) if (expiresAt < nowSeconds && map.delete(value)) removed++;
    }
    for (const map of [this.#client, this.#subject]) {
      for (const [value, cutoff] of map) if (cutoff.expiresAt < nowSeconds && map.delete(value)) removed++;
    }
    return removed;
  }
}

function keepLater(map: Map<string, number>, value: string, expiresAt: number): boolean {
  const known = map.get(value);
  if (known === undefined || known < expiresAt) map.set(value, expiresAt);
  return true;
}

function widenCutoff(map: Map<string, Cutoff>, record: RevocationRecord): boolean {
  const known = map.get(record.value);
  map.set(record.value, {
    revokedAt: Math.max(known?.revokedAt ?? record.revokedAt, record.revokedAt),
    expiresAt: Math.max(known?.expiresAt ?? record.expiresAt, record.expiresAt),
  });
  return true;
}

function cutOff(cutoff: Cutoff | undefined, iat: unknown): boolean {
  if (cutoff === undefined) return false;
  return typeof iat !== 'number' || iat <= cutoff.revokedAt;
}
