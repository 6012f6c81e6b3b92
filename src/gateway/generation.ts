// A Generation is everything one configuration compiles into: router, upstream pools, one
// Authenticator per distinct set of applying providers, and the pipeline of stages. It is
// immutable once built; a reload builds the next one beside it and swaps a single reference.
// Key sets and the verified-token cache are process-wide and outlive generations.
import { compileAuthenticator } from '../authn/authenticator.ts';
import type { Authenticator } from '../authn/authenticator.ts';
import type { KeySetRegistry } from '../authn/key-set-registry.ts';
import type { VerifiedTokenCache } from '../authn/verified-token-cache.ts';
import type { Authentication, GatewayModel, JwtProvider, Listener, Route } from '../model/gateway-model.ts';
import type { GatewayLogger } from '../observability/logger.ts';
import type { GatewayMetrics } from '../observability/metrics.ts';
import { Upstreams } from './forward/upstreams.ts';
import { Pipeline } from './pipeline.ts';
import { compileRouter } from './routing/compile-router.ts';
import type { Router } from './routing/compile-router.ts';
import { createAuthenticateStage } from './stages/authenticate.ts';
import { createBodyLimitStage } from './stages/body-limit.ts';
import { createCorsStage } from './stages/cors.ts';
import { createForwardStage } from './stages/forward.ts';
import { createNormalizeStage } from './stages/normalize.ts';
import { createRouteStage } from './stages/route.ts';
import { createShapeStage } from './stages/shape.ts';
import { createAuthorizeStage, type RouteAuthorization } from './stages/authorize.ts';
import { authenticationsFor } from '../model/route-targets.ts';
import { compileRouteAuthorizers } from './route-authorizers.ts';
import { compileRateLimits } from '../ratelimit/compile-rate-limits.ts';
import type { RateLimitStores } from '../ratelimit/rate-limit-stores.ts';
import { createRateLimitStage } from './stages/rate-limit.ts';
import { compileInternalTokens } from './internal-token/compile-internal-tokens.ts';
import type { GatewaySigningKeys } from './internal-token/gateway-signing-keys.ts';
import { compileBrowserLogins } from './sso/compile-browser-logins.ts';
import { createSsoEndpointsStage, createSsoSessionStage } from './sso/sso-stages.ts';
import type { TokenExchanger } from '../authn/token-exchange.ts';
import type { TokenExchanges } from '../authn/token-exchanges.ts';
import { tokenExchangeFor } from '../model/token-exchange.ts';
import type { RevocationCheck } from './revocation/revocation-check.ts';
import type { RevocationFeeds } from './revocation/revocation-feeds.ts';

/** Process-wide services a generation is compiled against. */
export interface RuntimeServices {
  logger: GatewayLogger;
  metrics: GatewayMetrics;
  registry: KeySetRegistry;
  cache: VerifiedTokenCache;
  /** Redis connections and in-memory counters of rate limits; outlive generations. */
  rateLimitStores: RateLimitStores;
  /** The key internal tokens are signed with; outlives generations (docs/internal-tokens.md). */
  signingKeys: GatewaySigningKeys;
  /** Revocation subscriptions (docs/revocation.md); outlive generations. */
  revocationFeeds: RevocationFeeds;
  /** Phantom-token exchangers and their JWT caches (docs/phantom-tokens.md); outlive generations. */
  tokenExchanges: TokenExchanges;
}

export interface Generation {
  readonly number: number;
  readonly model: GatewayModel;
  readonly router: Router;
  readonly upstreams: Upstreams;
  readonly authenticators: ReadonlyMap<Route, Authenticator>;
  readonly authorizers: ReadonlyMap<Route, RouteAuthorization>;
  /** Union of every authenticator's output header names: client-sent copies are stripped. */
  readonly identityHeaderNames: readonly string[];
  readonly listeners: readonly Listener[];
  readonly pipeline: Pipeline;
}

export function buildGeneration(
  number: number,
  model: GatewayModel,
  services: RuntimeServices,
  previous?: Generation,
): Generation {
  const router = compileRouter(model);
  const authenticators = compileRouteAuthenticators(model, services);
  const authorizers = compileRouteAuthorizers(model);
  const rateLimits = compileRateLimits(model, services.rateLimitStores);
  const identityHeaderNames = [...new Set([...authenticators.values()].flatMap((a) => a.outputHeaderNames))];
  const internalTokens = compileInternalTokens(model, services.signingKeys, identityHeaderNames);
  const upstreams = new Upstreams(model.backends, { previous: previous?.upstreams, logger: services.logger });
  const corsStage = createCorsStage(model.routes);
  const browserLogins = compileBrowserLogins(model, services);
  const pipeline = new Pipeline(
    [
      createNormalizeStage({ identityHeaderNames: [...identityHeaderNames, ...internalTokens.headerNames], maxHeaderCount: model.options.limits.maxHeaderCount, pathNormalization: model.options.pathNormalization }),
      ...(browserLogins !== undefined ? [createSsoEndpointsStage(browserLogins)] : []),
      createRouteStage(router),
      ...(corsStage !== undefined ? [corsStage] : []),
      createBodyLimitStage(model),
      ...(browserLogins !== undefined ? [createSsoSessionStage(browserLogins)] : []),
      createAuthenticateStage(authenticators),
      ...(authorizers.size > 0 ? [createAuthorizeStage(authorizers, services.metrics)] : []),
      ...(rateLimits.size > 0 ? [createRateLimitStage(rateLimits, services.metrics)] : []),
      createShapeStage(),
      ...internalTokens.stages,
      createForwardStage(upstreams),
    ],
    services,
  );
  return { number, model, router, upstreams, authenticators, authorizers, identityHeaderNames, listeners: model.listeners, pipeline };
}

/** Routes with the same applying Authentications share one Authenticator (and its compiled state). */
function compileRouteAuthenticators(model: GatewayModel, services: RuntimeServices): Map<Route, Authenticator> {
  const providersById = new Map(model.providers.map((provider) => [provider.id, provider]));
  const byAuthenticationSet = new Map<string, Authenticator | undefined>();
  const byRoute = new Map<Route, Authenticator>();
  const revocations = services.revocationFeeds.checkFor(model.revocationFeed);
  for (const route of model.routes) {
    const applying = authenticationsFor(route, model.authentications);
    const exchange = tokenExchangeFor(route, model.tokenExchanges ?? []);
    const key = `${applying.map((authentication) => model.authentications.indexOf(authentication)).join(',')}|${exchange?.name ?? ''}`;
    if (!byAuthenticationSet.has(key)) {
      const extras = { revocations, exchanger: exchange === undefined ? undefined : services.tokenExchanges.acquire(exchange) };
      byAuthenticationSet.set(key, compileFor(applying, providersById, services, model.options.limits.maxTokenBytes, extras));
    }
    const authenticator = byAuthenticationSet.get(key);
    if (authenticator !== undefined) byRoute.set(route, authenticator);
  }
  return byRoute;
}

function compileFor(
  applying: Authentication[],
  providersById: Map<string, JwtProvider>,
  services: RuntimeServices,
  maxTokenBytes: number,
  extras: { revocations?: RevocationCheck; exchanger?: TokenExchanger },
): Authenticator | undefined {
  const providers = [...new Set(applying.flatMap((a) => a.providerIds))].map((id) => {
    const provider = providersById.get(id);
    if (provider === undefined) throw new Error(`Authentication refers to unknown provider ${id}`);
    return provider;
  });
  const requireToken = applying.some((authentication) => authentication.requireToken);
  if (providers.length === 0 && !requireToken) return undefined;
  return compileAuthenticator(providers, {
    requireToken,
    registry: services.registry,
    cache: services.cache,
    observer: services.metrics,
    maxTokenBytes,
    ...extras,
  });
}
