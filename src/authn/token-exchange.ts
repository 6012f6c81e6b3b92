// The phantom-token pattern's cache and guard (docs/phantom-tokens.md): an opaque token becomes
// the JWT the identity service exchanged it for. A mistyped API token (bad `gat_` checksum) or a
// revoked token hash is refused before any network call; a known token is answered from memory,
// synchronously; concurrent requests with the same unknown token share one exchange, and a
// refused token is remembered briefly. JWTs are kept by SHA-256 of the opaque token (the token
// itself is never a key, a label or a log field) until shortly before their `exp`.
import { LRUCache } from 'lru-cache';
import { apiTokenHash, isWellFormedApiToken, API_TOKEN_PREFIX } from '../identity/api-token-format.ts';
import type { TokenExchangeSettings } from '../model/token-exchange.ts';
import type { RevocationCheck } from '../gateway/revocation/revocation-check.ts';
import { decodeToken } from './decode-token.ts';
import { AuthnError } from './errors.ts';
import type { AuthnLogger } from './observer.ts';
import { requestTokenExchange } from './token-exchange-client.ts';

export interface TokenExchangeObserver {
  tokenExchange(exchange: string, outcome: 'cache_hit' | 'exchanged' | 'rejected' | 'unavailable'): void;
}

export interface ExchangedToken {
  readonly jwt: string;
  /** SHA-256 hex of the opaque token: what a 'token-hash' revocation names. */
  readonly tokenHash: string;
  readonly expiresAtMs: number;
}

export interface TokenExchangerOptions {
  logger: AuthnLogger;
  observer?: TokenExchangeObserver;
  fetch?: typeof fetch;
}

/** A cached JWT is given up this long before its `exp`, so it is never forwarded about to expire. */
const EXPIRY_MARGIN_MS = 15_000;
/** A refused token is answered from memory this long, so a client retrying it in a loop does not
 * turn into a loop of exchanges (unknown and expired tokens never become valid; a re-enabled user waits this long). */
const REFUSAL_MEMORY_MS = 10_000;

export class TokenExchanger {
  readonly settings: TokenExchangeSettings;
  readonly #options: TokenExchangerOptions;
  readonly #cache: LRUCache<string, ExchangedToken>;
  readonly #refused: LRUCache<string, true>;
  readonly #inFlight = new Map<string, Promise<ExchangedToken>>();
  #unavailable = false;

  constructor(settings: TokenExchangeSettings, options: TokenExchangerOptions) {
    this.settings = settings;
    this.#options = options;
    this.#cache = new LRUCache({ max: settings.cacheSize });
    this.#refused = new LRUCache({ max: settings.cacheSize, ttl: REFUSAL_MEMORY_MS });
  }

  /** The JWT for an opaque token; synchronous on a cache hit. Throws (or rejects with) an AuthnError. */
  exchange(token: string, nowMs: number, revocations?: RevocationCheck): ExchangedToken | Promise<ExchangedToken> {
    // The checksum catches a mistyped or truncated API token without asking anyone.
    if (token.startsWith(API_TOKEN_PREFIX) && !isWellFormedApiToken(token)) throw new AuthnError('api_token_malformed');
    // The same digest the identity service names in a 'token-hash' revocation.
    const tokenHash = apiTokenHash(token);
    if (revocations?.revokesTokenHash(tokenHash)) {
      this.#cache.delete(tokenHash);
      throw new AuthnError('token_revoked');
    }
    if (this.#refused.has(tokenHash)) {
      this.#options.observer?.tokenExchange(this.settings.name, 'rejected');
      throw new AuthnError('token_exchange_rejected');
    }
    const cached = this.#cache.get(tokenHash);
    if (cached !== undefined && nowMs < cached.expiresAtMs) {
      this.#options.observer?.tokenExchange(this.settings.name, 'cache_hit');
      return cached;
    }
    let pending = this.#inFlight.get(tokenHash);
    if (pending === undefined) {
      pending = this.#exchangeNow(token, tokenHash).finally(() => this.#inFlight.delete(tokenHash));
      this.#inFlight.set(tokenHash, pending);
    }
    return pending;
  }

  /** Drops a cached JWT (its `jti` or subject was revoked): the next request exchanges again. */
  forget(tokenHash: string): void {
    this.#cache.delete(tokenHash);
  }

  async #exchangeNow(token: string, tokenHash: string): Promise<ExchangedToken> {
    const { observer, logger } = this.#options;
    const name = this.settings.name;
    const response = await requestTokenExchange(this.settings, token, this.#options.fetch);
    if (response.kind === 'unavailable') {
      observer?.tokenExchange(name, 'unavailable');
      if (!this.#unavailable) {
        this.#unavailable = true;
        logger.warn({ tokenExchange: name, endpoint: this.settings.tokenEndpoint, error: response.reason }, 'token exchange failed; opaque tokens are answered 503 until it works again');
      }
      throw new AuthnError('token_exchange_unavailable');
    }
    if (this.#unavailable) {
      this.#unavailable = false;
      logger.info({ tokenExchange: name, endpoint: this.settings.tokenEndpoint }, 'token exchange works again');
    }
    if (response.kind === 'rejected') {
      this.#refused.set(tokenHash, true);
      observer?.tokenExchange(name, 'rejected');
      throw new AuthnError('token_exchange_rejected');
    }
    observer?.tokenExchange(name, 'exchanged');
    const exchanged: ExchangedToken = { jwt: response.jwt, tokenHash, expiresAtMs: cacheUntilMs(response.jwt, Date.now()) };
    if (exchanged.expiresAtMs > Date.now()) this.#cache.set(tokenHash, exchanged);
    return exchanged;
  }
}

/** The JWT's `exp` minus a margin (half the remaining lifetime for very short-lived tokens). */
function cacheUntilMs(jwt: string, nowMs: number): number {
  const exp = expOf(jwt);
  if (exp === undefined) return nowMs; // not cached: verification decides whether it is acceptable at all
  const remaining = exp * 1000 - nowMs;
  return nowMs + Math.max(0, remaining - Math.min(EXPIRY_MARGIN_MS, remaining / 2));
}

/** Unverified: only for scheduling. The client accepted `jwt` only in compact JWS form. */
function expOf(jwt: string): number | undefined {
  try {
    const { exp } = decodeToken(jwt).payload;
    return typeof exp === 'number' ? exp : undefined;
  } catch {
    return undefined;
  }
}
