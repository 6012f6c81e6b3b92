// gatehouse.dev TokenExchange → which routes swap opaque tokens for JWTs, and at which identity
// service (docs/phantom-tokens.md).
import type { Route, SourceRef, TargetRef } from './gateway-model.ts';
import { targetsRoute } from './route-targets.ts';

export interface TokenExchangeSettings {
  name: string;
  /** Empty = every route. */
  targets: TargetRef[];
  /** RFC 8693 §2.1: the authorization server's token endpoint. */
  tokenEndpoint: string;
  clientId: string;
  /** Sent with client_secret_basic (RFC 6749 §2.3.1); never logged. */
  clientSecret: string;
  /** RFC 8707 `resource` of the requested JWT. */
  audience: string;
  timeoutMs: number;
  /** Exchanged JWTs held in memory. */
  cacheSize: number;
  source: SourceRef;
}

/** Which TokenExchange applies to a route (at most one: config validation refuses two). */
export function tokenExchangeFor(route: Route, exchanges: readonly TokenExchangeSettings[]): TokenExchangeSettings | undefined {
  return exchanges.find((exchange) => targetsRoute(exchange.targets, route));
}
