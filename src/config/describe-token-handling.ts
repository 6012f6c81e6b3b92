// `gatehouse check` lines for TokenExchange and RevocationFeed. Never a secret: the client secret
// is not shown, and a Redis URL is shown as host:port (it may carry a password).
import type { GatewayModel } from '../model/gateway-model.ts';
import { redisLabel } from '../store/redis/redis-label.ts';

export function describeTokenExchanges(model: GatewayModel): string[] {
  return (model.tokenExchanges ?? []).map((exchange) => {
    const targets = exchange.targets.length === 0 ? 'every route' : exchange.targets.map((target) => `${target.kind}/${target.name}`).join(', ');
    return `${exchange.name}  ${targets}  -> ${exchange.tokenEndpoint} as ${exchange.clientId}, audience ${exchange.audience} (timeout ${exchange.timeoutMs}ms, cache ${exchange.cacheSize})`;
  });
}

export function describeRevocationFeed(model: GatewayModel): string[] {
  const feed = model.revocationFeed;
  if (feed === undefined) return [];
  const issuers = feed.issuers.length === 0 ? 'every issuer' : feed.issuers.join(', ');
  return [`${feed.name}  redis ${redisLabel(feed.url)} key ${feed.keyPrefix}revocations  (${issuers})`];
}
