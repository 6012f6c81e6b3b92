// `gatehouse import`: the model of NGINX Ingress Controller resources printed back as Gateway API
// HTTPRoutes + Istio RequestAuthentication / AuthorizationPolicy, so a team can move off the
// NGINX format. Read from the model (not the YAML), so the output means what the gateway served:
// `gatehouse check` on it lists the same routes and JWT providers.
import type { GatewayModel, JwtProvider, KeySource, Route, TokenLocation } from '../../model/gateway-model.ts';
import { ANNOTATIONS, DEFAULTS } from '../defaults.ts';
import { rateLimitPolicyDocument } from './rate-limit-policy-document.ts';

export interface ImportedDocuments {
  documents: Record<string, unknown>[];
  /** What has no equivalent in the output, for the user to carry over by hand. */
  notes: string[];
}

/** One HTTPRoute per model routeName (a VirtualServer, or one of its routes with its own policies). */
export function nginxToGatewayApi(model: GatewayModel): ImportedDocuments {
  const routes = model.routes.filter((route) => route.source.kind === 'VirtualServer');
  const providersById = new Map(model.providers.map((provider) => [provider.id, provider]));
  const routeNames = new Map<string, string>();
  const documents: Record<string, unknown>[] = [];
  const notes: string[] = [];
  for (const route of routes) {
    let name = routeNames.get(route.routeName);
    if (name === undefined) {
      name = httpRouteName(route, routeNames.size);
      routeNames.set(route.routeName, name);
      documents.push(httpRoute(name, routes.filter((r) => r.routeName === route.routeName)));
    }
  }
  for (const authentication of model.authentications) {
    const target = authentication.targets.find((t) => t.kind === 'VirtualServer');
    const routeName = target && routeNames.get(target.name);
    if (routeName === undefined) continue;
    const providers = authentication.providerIds.map((id) => providersById.get(id)).filter((p): p is JwtProvider => p !== undefined);
    documents.push(requestAuthentication(routeName, providers));
    if (authentication.requireToken) documents.push(requirePrincipal(routeName));
    for (const provider of providers) {
      if (provider.jwksRefresh.maxSeconds !== DEFAULTS.jwt.jwksRefresh.maxSeconds) {
        notes.push(`${provider.source.kind}/${provider.source.name}: keyCache (${provider.jwksRefresh.maxSeconds}s) is not carried over; set jwksRefresh.max on a gatehouse.dev JWTIssuer`);
      }
    }
  }
  for (const limit of model.rateLimits) {
    const target = limit.targets.find((t) => t.kind === 'VirtualServer');
    const routeName = limit.source.kind === 'Policy' && target ? routeNames.get(target.name) : undefined;
    if (routeName === undefined) continue;
    const imported = rateLimitPolicyDocument(limit, routeName);
    documents.push(imported.document);
    if (imported.note !== undefined) notes.push(imported.note);
  }
  return { documents, notes };
}

/** `cafe` for the VirtualServer's own routes; `cafe-route-N` for a route with its own policies. */
function httpRouteName(route: Route, index: number): string {
  return route.routeName === route.source.name ? route.source.name : `${route.source.name}-route-${index}`;
}

function httpRoute(name: string, routes: Route[]): Record<string, unknown> {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name },
    spec: {
      // No parentRefs: like the VirtualServer, the route is served on every listener of the
      // configuration (a Gatehouse reading of an HTTPRoute without parents; add parentRefs to
      // pin it to one Gateway).
      hostnames: routes[0].hostnames,
      rules: routes.map((route) => ({
        matches: [{ path: { type: route.match.path.type, value: route.match.path.value } }],
        backendRefs: route.backends.map(({ backend, weight }) => ({ group: 'gatehouse.dev', kind: 'Backend', name: backend, weight })),
      })),
    },
  };
}

function requestAuthentication(routeName: string, providers: JwtProvider[]): Record<string, unknown> {
  const first = providers[0];
  // Realm, login URL and requireExp have no Istio field; the annotations Gatehouse reads on a
  // RequestAuthentication carry them per resource (a JWTIssuer is per issuer, and every NGINX
  // policy has the same issuer "*").
  const annotations: Record<string, string> = { [ANNOTATIONS.realm]: first.realm, [ANNOTATIONS.requireExp]: String(first.requireExp) };
  if (first.loginUrl !== undefined) annotations[ANNOTATIONS.loginUrl] = first.loginUrl;
  return {
    apiVersion: 'security.istio.io/v1',
    kind: 'RequestAuthentication',
    metadata: { name: `${routeName}-jwt`, annotations },
    spec: {
      targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: routeName }],
      jwtRules: providers.map((provider) => ({
        // "*": any `iss` (Gatehouse only — Istio needs the real issuer; put it here when known).
        issuer: provider.issuer,
        ...keySource(provider.keys),
        ...(provider.audiences.length > 0 ? { audiences: provider.audiences } : {}),
        ...tokenLocations(provider.locations),
        forwardOriginalToken: provider.forwardOriginalToken,
      })),
    },
  };
}

function keySource(keys: KeySource): Record<string, string> {
  if (keys.kind === 'inline') return { jwks: keys.jwks };
  if (keys.kind === 'remote') return { jwksUri: keys.uri };
  throw new Error(`an NGINX policy has no ${keys.kind} key source`);
}

function tokenLocations(locations: TokenLocation[]): Record<string, unknown> {
  const fromHeaders = locations.filter((l) => l.kind === 'header').map((l) => (l.prefix === undefined ? { name: l.name } : { name: l.name, prefix: l.prefix }));
  const fromParams = locations.filter((l) => l.kind === 'query').map((l) => l.name);
  const fromCookies = locations.filter((l) => l.kind === 'cookie').map((l) => l.name);
  return {
    ...(fromHeaders.length > 0 ? { fromHeaders } : {}),
    ...(fromParams.length > 0 ? { fromParams } : {}),
    ...(fromCookies.length > 0 ? { fromCookies } : {}),
  };
}

/** NGINX answers a request without a token 401; Istio's way is an ALLOW policy needing a principal. */
function requirePrincipal(routeName: string): Record<string, unknown> {
  return {
    apiVersion: 'security.istio.io/v1',
    kind: 'AuthorizationPolicy',
    metadata: { name: `${routeName}-require-jwt` },
    spec: {
      targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: routeName }],
      action: 'ALLOW',
      rules: [{ from: [{ source: { requestPrincipals: ['*'] } }] }],
    },
  };
}
