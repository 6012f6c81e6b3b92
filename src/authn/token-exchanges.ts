// Token exchangers live for the whole process and are shared by config generations, like key
// sets: a reload that leaves a TokenExchange's endpoint, client and audience alone keeps its
// cache of exchanged JWTs, so it causes no burst of exchanges at the identity service.
import type { TokenExchangeSettings } from '../model/token-exchange.ts';
import { TokenExchanger, type TokenExchangerOptions } from './token-exchange.ts';

export class TokenExchanges {
  readonly #options: TokenExchangerOptions;
  readonly #exchangers = new Map<string, TokenExchanger>();

  constructor(options: TokenExchangerOptions) {
    this.#options = options;
  }

  acquire(settings: TokenExchangeSettings): TokenExchanger {
    const id = exchangerId(settings);
    let exchanger = this.#exchangers.get(id);
    if (exchanger === undefined) {
      exchanger = new TokenExchanger(settings, this.#options);
      this.#exchangers.set(id, exchanger);
    }
    return exchanger;
  }

  /** Forgets exchangers (and their cached JWTs) no longer configured, after a generation swap. */
  retain(settings: readonly TokenExchangeSettings[]): void {
    const kept = new Set(settings.map(exchangerId));
    for (const id of this.#exchangers.keys()) if (!kept.has(id)) this.#exchangers.delete(id);
  }
}

/** Which targets use it does not matter to the exchanger; everything it sends or keeps does. */
function exchangerId(settings: TokenExchangeSettings): string {
  const { name, tokenEndpoint, clientId, clientSecret, audience, timeoutMs, cacheSize } = settings;
  return JSON.stringify([name, tokenEndpoint, clientId, clientSecret, audience, timeoutMs, cacheSize]);
}
