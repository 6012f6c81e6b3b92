// Key sets live for the whole process and are shared by config generations: a provider whose
// key source and refresh settings did not change keeps its KeySet across a reload, so a reload
// neither refetches every JWKS nor empties the verified-token cache.
import type { JwtProvider } from '../model/gateway-model.ts';
import { KeySet } from './key-set.ts';
import type { AuthnLogger, AuthnObserver } from './observer.ts';

export interface KeySetRegistryOptions {
  logger: AuthnLogger;
  observer?: AuthnObserver;
  /** Tests may inject a fetch; defaults to the global (undici) fetch. */
  fetch?: typeof fetch;
}

export class KeySetRegistry {
  readonly #options: KeySetRegistryOptions;
  readonly #keySets = new Map<string, KeySet>();

  constructor(options: KeySetRegistryOptions) {
    this.#options = options;
  }

  /** Key sets for these providers, created (and started) when new. */
  acquire(providers: JwtProvider[]): void {
    for (const provider of providers) this.keySetFor(provider);
  }

  /** The KeySet that verifies this provider's tokens, created on first use. */
  keySetFor(provider: JwtProvider): KeySet {
    const identity = keySetIdentity(provider);
    let keySet = this.#keySets.get(identity);
    if (keySet === undefined) {
      keySet = new KeySet({
        source: provider.keys,
        refresh: provider.jwksRefresh,
        label: provider.issuer,
        fetch: this.#options.fetch ?? globalThis.fetch,
        logger: this.#options.logger,
        observer: this.#options.observer,
      });
      this.#keySets.set(identity, keySet);
    }
    return keySet;
  }

  /** Stop refreshing key sets that none of these providers uses (after a generation swap). */
  retain(providers: JwtProvider[]): void {
    const kept = new Set(providers.map(keySetIdentity));
    for (const [identity, keySet] of this.#keySets) {
      if (kept.has(identity)) continue;
      keySet.close();
      this.#keySets.delete(identity);
    }
  }

  /** Resolves once every key set of these providers has finished its first load, good or bad. */
  async whenLoaded(providers: JwtProvider[]): Promise<void> {
    await Promise.all(providers.map((provider) => this.keySetFor(provider).whenLoaded()));
  }

  /** True when every key set of these providers currently holds a loaded JWK Set. */
  isReady(providers: JwtProvider[]): boolean {
    return providers.every((provider) => this.#keySets.get(keySetIdentity(provider))?.isLoaded === true);
  }

  close(): void {
    for (const keySet of this.#keySets.values()) keySet.close();
    this.#keySets.clear();
  }
}

function keySetIdentity(provider: JwtProvider): string {
  return JSON.stringify([provider.keys, provider.jwksRefresh]);
}
