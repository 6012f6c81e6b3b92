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

/**
 * Heap bytes one entry keeps alive, measured (`node --expose-gc`, 10,000 entries, heap used after
 * GC ÷ entries): ~820 B of objects (identity, frozen claims, headers, the shared outcome) for a
 * ~160-character payload, plus the token string itself; the decoded claims grow with the
 * payload. So: base + token + 2 × payload segment. ES256 bench token (318 chars) ≈ 1,140 B,
 * RS256 (574 chars) ≈ 1,400 B.
 */
const ENTRY_BASE_BYTES = 512;
/**
 * The byte bound (issue 7: RSS < 150 MB after 100,000 distinct tokens). A gateway starts at
 * ~135 MB RSS, and V8 keeps its heap at ~1.5× the live bytes, so 10,000 entries (~14 MB live)
 * cost ~20 MB of RSS; 4 MiB holds ~3,000 RS256 / ~3,600 ES256 tokens of the benchmark's shape,
 * fewer when tokens carry large claim sets (the count bound alone would let those grow unbounded
 * in bytes). Measured with `npm run bench -- memory`; see docs/performance.md.
 */
export const DEFAULT_MAX_CACHE_BYTES = 4 * 1024 * 1024;

export interface VerifiedTokenCacheOptions {
  maxEntries: number;
  /** Estimated heap bytes of all entries (entrySizeBytes); default DEFAULT_MAX_CACHE_BYTES. */
  maxBytes?: number;
}

/** Estimated heap bytes an entry for `token` keeps alive (see ENTRY_BASE_BYTES). */
export function entrySizeBytes(token: string): number {
  const firstDot = token.indexOf('.');
  const secondDot = token.indexOf('.', firstDot + 1);
  const payloadLength = firstDot < 0 || secondDot < 0 ? token.length : secondDot - firstDot - 1;
  return ENTRY_BASE_BYTES + token.length + 2 * payloadLength;
}

export class VerifiedTokenCache {
  readonly #entries: LRUCache<string, VerifiedToken>;

  constructor(options: VerifiedTokenCacheOptions = { maxEntries: 10_000 }) {
    this.#entries = new LRUCache({
      max: options.maxEntries,
      maxSize: options.maxBytes ?? DEFAULT_MAX_CACHE_BYTES,
      sizeCalculation: (_entry, token) => entrySizeBytes(token),
    });
  }

  /** Estimated heap bytes held (for tests and the memory benchmark). */
  get sizeBytes(): number {
    return this.#entries.calculatedSize;
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
