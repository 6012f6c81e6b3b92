// TokenExchange → model.tokenExchanges. The client secret is resolved here (environment variable,
// file or Secret: the form BrowserLogin shares), and each exchange is checked against the routes
// it targets: the JWT it brings back must be verifiable there, so a targeted route needs a
// RequestAuthentication, and no route may have two exchanges.
import type { GatewayModel } from '../../model/gateway-model.ts';
import { authenticationsFor, targetsRoute } from '../../model/route-targets.ts';
import type { TokenExchangeSettings } from '../../model/token-exchange.ts';
import { parseDurationMs } from '../duration.ts';
import type { Resources } from '../parse-resources.ts';
import type { Problems } from '../problems.ts';
import { resolveTargetRefs } from '../resolve.ts';
import { resolveSecretSource } from '../resolve-secret-source.ts';

export const TOKEN_EXCHANGE_DEFAULTS = { timeoutMs: 2000, cacheSize: 10_000 } as const;

export function translateTokenExchanges(resources: Resources, problems: Problems): TokenExchangeSettings[] {
  const exchanges: TokenExchangeSettings[] = [];
  for (const { source, resource } of resources['gatehouse.dev/TokenExchange']) {
    const spec = resource.spec;
    const targets = resolveTargetRefs(resources, problems, { source, path: 'spec.targetRefs' }, spec.targetRefs ?? []);
    const clientSecret = resolveSecretSource(resources, problems, { source, path: 'spec.clientSecret' }, spec.clientSecret);
    const timeoutMs = spec.timeout === undefined ? TOKEN_EXCHANGE_DEFAULTS.timeoutMs : parseDurationMs(spec.timeout);
    if (timeoutMs < 1) problems.at(source, 'spec.timeout', 'must be at least 1ms');
    if (clientSecret === undefined) continue;
    exchanges.push({
      name: resource.metadata.name,
      targets,
      tokenEndpoint: spec.tokenEndpoint,
      clientId: spec.clientId,
      clientSecret,
      audience: spec.audience,
      timeoutMs,
      cacheSize: spec.cacheSize ?? TOKEN_EXCHANGE_DEFAULTS.cacheSize,
      source,
    });
  }
  return exchanges;
}

export function validateTokenExchanges(model: GatewayModel, problems: Problems): void {
  const exchanges = model.tokenExchanges ?? [];
  if (exchanges.length === 0) return;
  const unverifiable = new Map<TokenExchangeSettings, string[]>();
  const doubled = new Map<TokenExchangeSettings, string[]>();
  for (const route of model.routes) {
    const [first, ...others] = exchanges.filter((exchange) => targetsRoute(exchange.targets, route));
    if (first === undefined) continue;
    for (const other of others) doubled.set(other, [...(doubled.get(other) ?? []), `${route.id} (already "${first.name}")`]);
    if (!authenticationsFor(route, model.authentications).some((authentication) => authentication.providerIds.length > 0)) {
      unverifiable.set(first, [...(unverifiable.get(first) ?? []), route.id]);
    }
  }
  for (const [exchange, routes] of doubled) {
    problems.at(exchange.source, 'spec.targetRefs', `a route takes one TokenExchange; these routes have another: ${routes.join(', ')}`);
  }
  for (const [exchange, routes] of unverifiable) {
    problems.at(
      exchange.source,
      'spec.targetRefs',
      `no RequestAuthentication verifies the exchanged JWT on ${routes.join(', ')}; add a jwtRule for the identity service's issuer with audience "${exchange.audience}"`,
    );
  }
}
