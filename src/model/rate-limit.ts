// Rate limits in the internal model: what a gatehouse.dev RateLimitPolicy or an NGINX Policy
// `rateLimit` block becomes. Plain data; src/ratelimit compiles it into counters per generation.
import type { SourceRef, TargetRef } from './gateway-model.ts';

/** One budget: `requests` per window, plus `burst` extra requests drawn from a slower bucket. */
export interface RateLimitBudget {
  requests: number;
  windowSeconds: number;
  burst: number;
}

/** What identifies "one client" for a policy; several parts combine into one key. */
export type RateLimitKeyPart =
  | { kind: 'clientIp' }
  | { kind: 'claim'; path: string }
  | { kind: 'header'; name: string }
  /** A hash of the credential the client presented (never the credential itself). */
  | { kind: 'apiToken' };

export type RateLimitBackend =
  | { kind: 'memory' }
  | {
      kind: 'redis';
      url: string;
      /** Prefix of every Redis key this policy writes. */
      keyPrefix: string;
      /** Redis unreachable: `local` counts per instance, `open` lets requests through uncounted. */
      onFailure: 'local' | 'open';
    };

export interface RateLimitPolicy {
  name: string;
  /** Empty = every route (same scoping as RequestAuthentication, see route-targets.ts). */
  targets: TargetRef[];
  /** All must pass. */
  budgets: RateLimitBudget[];
  key: RateLimitKeyPart[];
  backend: RateLimitBackend;
  /** Status of a refused request: 429, or the NGINX Policy's `rejectCode`. */
  rejectStatus: number;
  source: SourceRef;
}
