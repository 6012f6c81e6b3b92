// Verified-token cache (Envoy's jwt_cache): repeat requests with the same token skip the
// signature check. An entry is good until the token's `exp` and only while the key set it was
// verified against is unchanged — a key change (rotation, revocation) invalidates it.
import { LRUCache } from 'lru-cache';
import type { Identity } from '../model/identity.ts';
import type { TokenVerifier } from './verify-token.ts';

/** Tokens without `exp` (requireExp: false) are re-verified at least this often. */
const NO_EXP_LIFETIME_MS = 5 * 60 * 1000;

export interface VerifiedToken {
  /** The provider (compiled) that accepted the token. */
  readonly verifier: TokenVerifier;
  readonly keySetVersion: number;
  readonly expiresAtMs: number;
  readonly identity: Identity;
  /** outputPayloadToHeader + outputClaimToHeaders, computed once per token. */
  readonly upstreamHeaders: Readonly<Record<string, string>>;
}

export class VerifiedTokenCache {
  readonly #entries: LRUCache<string, VerifiedToken>;

  constructor(options: { maxEntries: number } = { maxEntries: 10_000 }) {
    this.#entries = new LRUCache({ max: options.maxEntries });
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The still-valid entry for this exact token, or undefined (stale entries are dropped). */
  get(token: string, nowMs: number): VerifiedToken | undefined {
    const entry = this.#entries.get(token);
    if (entry === undefined) return undefined;
    if (nowMs >= entry.expiresAtMs || entry.keySetVersion !== entry.verifier.keySet.version) {
      this.#entries.delete(token);
      return undefined;
    }
    return entry;
  }

  set(token: string, entry: VerifiedToken): void {
    this.#entries.set(token, entry);
  }

  /** Drops one token (it was revoked). */
  delete(token: string): void {
    this.#entries.delete(token);
  }

  clear(): void {
    this.#entries.clear();
  }
}

/** Cache lifetime for a token verified at `nowMs`: its exp, or a short bound when it has none. */
export function cacheExpiryMs(expSeconds: number | undefined, nowMs: number): number {
  return expSeconds === undefined ? nowMs + NO_EXP_LIFETIME_MS : expSeconds * 1000;
}
