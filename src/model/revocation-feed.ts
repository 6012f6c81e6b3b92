// gatehouse.dev RevocationFeed → where this gateway learns about revoked tokens (docs/revocation.md).

import type { SourceRef } from './gateway-model.ts';

export interface RevocationFeedSettings {
  name: string;
  /** redis:// or rediss:// URL (may carry credentials: never logged; labels use host:port). */
  url: string;
  /** Prefix of the sorted set and channel, e.g. 'gatehouse:' → `gatehouse:revocations`. */
  keyPrefix: string;
  /** Tokens of these issuers are checked; empty = every issuer. */
  issuers: string[];
  source: SourceRef;
}
