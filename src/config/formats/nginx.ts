// NGINX Ingress Controller resources: a JWT Policy → one issuer-less provider ('*'); a
// VirtualServer → routes (host + path → upstream) and Authentications attaching its policies.
import type { Authentication, JwtProvider, KeySource, PathMatch, Route, SourceRef, TokenLocation } from '../../model/gateway-model.ts';
import type { RateLimitPolicy } from '../../model/rate-limit.ts';
import { ANNOTATIONS, DEFAULTS } from '../defaults.ts';
import { parseDurationSeconds } from '../duration.ts';
import type { Parsed, Resources } from '../parse-resources.ts';
import type { Problems } from '../problems.ts';
import { resolveBackend, resolveNginxPolicy, resolveSecretValues } from '../resolve.ts';
import type { NginxPolicyResource } from '../schemas/nginx-policy.ts';
import type { VirtualServerResource } from '../schemas/virtual-server.ts';
import { jwksProblem } from './istio.ts';
import { annotationOverrides, createJwtProvider } from './jwt-provider.ts';
import { nginxWeakerThanIstio } from './nginx-warnings.ts';
import { nginxRateLimit, warnNginxRateLimit } from './nginx-rate-limit.ts';

export interface NginxTranslation {
  providers: JwtProvider[];
  routes: Route[];
  authentications: Authentication[];
  rateLimits: RateLimitPolicy[];
}

export function nginxProviderId(policyName: string): string {
  return `Policy/${policyName}#0`;
}

export function translateNginx(resources: Resources, problems: Problems): NginxTranslation {
  const translation: NginxTranslation = { providers: [], routes: [], authentications: [], rateLimits: [] };
  for (const parsed of resources['k8s.nginx.org/Policy']) {
    const provider = translatePolicy(parsed, resources, problems);
    if (provider) translation.providers.push(provider);
  }
  for (const parsed of resources['k8s.nginx.org/VirtualServer']) translateVirtualServer(parsed, resources, problems, translation);
  return translation;
}

function translatePolicy({ source, resource }: Parsed<NginxPolicyResource>, resources: Resources, problems: Problems): JwtProvider | undefined {
  const { jwt, rateLimit } = resource.spec;
  // NGINX Ingress Controller: "A policy must include exactly one policy type."
  if ((jwt === undefined) === (rateLimit === undefined)) {
    problems.at(source, 'spec', 'set exactly one policy type: jwt or rateLimit');
    return undefined;
  }
  if (rateLimit !== undefined) {
    warnNginxRateLimit(rateLimit, source, problems);
    return undefined;
  }
  if (jwt === undefined) return undefined;
  let keys: KeySource | undefined;
  if ((jwt.secret === undefined) === (jwt.jwksURI === undefined)) {
    problems.at(source, 'spec.jwt', 'set exactly one of secret (a nginx.org/jwk Secret) or jwksURI');
  } else if (jwt.secret !== undefined) {
    const values = resolveSecretValues(resources, problems, { source, path: 'spec.jwt.secret' }, jwt.secret, 'nginx.org/jwk', ['jwk']);
    const invalid = values && jwksProblem(values.jwk);
    if (invalid) problems.at(source, 'spec.jwt.secret', `Secret "${jwt.secret}" data.jwk ${invalid}`);
    else if (values) keys = { kind: 'inline', jwks: values.jwk };
  } else if (jwt.jwksURI !== undefined) {
    keys = { kind: 'remote', uri: jwt.jwksURI, timeoutMs: DEFAULTS.jwt.jwksFetchTimeoutMs };
  }
  const overrides = annotationOverrides(
    resource.metadata.annotations, { loginUrl: [ANNOTATIONS.loginUrl, ANNOTATIONS.nginxLoginUrl] }, (path, message) => problems.at(source, path, message),
  );
  if (jwt.realm) overrides.realm = jwt.realm;
  overrides.requireExp ??= DEFAULTS.jwt.nginxRequireExp;
  if (jwt.keyCache) {
    // keyCache bounds how long fetched keys are kept: refresh at least that often.
    const seconds = parseDurationSeconds(jwt.keyCache);
    const defaults = DEFAULTS.jwt.jwksRefresh;
    overrides.jwksRefresh = { ...defaults, minSeconds: Math.min(defaults.minSeconds, seconds), maxSeconds: seconds };
  }
  if (!keys) return undefined;
  const provider = createJwtProvider(
    {
      id: nginxProviderId(resource.metadata.name),
      // NGINX JWT policies name no issuer: '*' accepts any `iss` (see JwtProvider.issuer).
      issuer: '*',
      audiences: [],
      keys,
      locations: tokenLocations(jwt.token),
      outputClaimToHeaders: [],
      // NGINX passes the request's headers, token included, to the upstream unchanged.
      forwardOriginalToken: true,
      source,
    },
    undefined,
    overrides,
  );
  for (const warning of nginxWeakerThanIstio(provider)) problems.warn(source, warning);
  return provider;
}

/** NGINX variables (ngx_http_core_module): `$http_x_api_token` is header `x-api-token`. */
function tokenLocations(token: string | undefined): TokenLocation[] {
  if (token === undefined) return DEFAULTS.jwt.nginxLocations.map((location) => ({ ...location }));
  const [, kind, name] = /^\$(http|cookie|arg)_(.+)$/.exec(token) as RegExpExecArray;
  if (kind === 'http') return [{ kind: 'header', name: name.replaceAll('_', '-') }];
  return [{ kind: kind === 'cookie' ? 'cookie' : 'query', name }];
}

function translateVirtualServer(
  { source, resource }: Parsed<VirtualServerResource>, resources: Resources, problems: Problems, translation: NginxTranslation,
): void {
  const { spec, metadata } = resource;
  const vsName = metadata.name;
  const upstreams = new Map<string, string | undefined>();
  spec.upstreams.forEach((upstream, index) => {
    const site = { source, path: `spec.upstreams[${index}].service` };
    upstreams.set(upstream.name, resolveBackend(resources, problems, site, upstream.service, 'Service'));
  });
  const policyProviders = (refs: { name: string }[] | undefined, path: string): string[] =>
    (refs ?? []).flatMap((ref, index) =>
      resolveNginxPolicy(resources, problems, { source, path: `${path}[${index}].name` }, ref.name) && !isRateLimitPolicy(resources, ref.name)
        ? [nginxProviderId(ref.name)]
        : []);
  for (const ref of spec.policies ?? []) {
    const policy = resources['k8s.nginx.org/Policy'].find((parsed) => parsed.source.name === ref.name);
    const rateLimit = policy?.resource.spec.jwt === undefined ? policy?.resource.spec.rateLimit : undefined;
    const limit = rateLimit && nginxRateLimit(rateLimit, policy!.source, vsName, problems);
    if (limit) translation.rateLimits.push(limit);
  }

  const serverProviders = policyProviders(spec.policies, 'spec.policies');
  if (serverProviders.length > 0) {
    translation.authentications.push(nginxAuthentication(`VirtualServer/${vsName}`, serverProviders, vsName, source));
  }
  spec.routes.forEach((route, index) => {
    const path = `spec.routes[${index}]`;
    const upstreamName = 'pass' in route.action ? route.action.pass : route.action.proxy.upstream;
    if (!upstreams.has(upstreamName)) {
      problems.at(source, `${path}.action`, `references upstream "${upstreamName}", which spec.upstreams does not define`);
      return;
    }
    const match = pathMatch(route.path, (message) => problems.at(source, `${path}.path`, message));
    const backend = upstreams.get(upstreamName);
    if (!match || !backend) return;
    // NGINX: route-level policies replace the server's; such a route gets its own routeName so
    // the server-wide Authentication (which targets the VirtualServer name) does not cover it.
    const routeProviders = policyProviders(route.policies, `${path}.policies`);
    route.policies?.forEach((ref, refIndex) => {
      if (isRateLimitPolicy(resources, ref.name)) {
        problems.at(source, `${path}.policies[${refIndex}]`, `rateLimit Policy "${ref.name}" can only be referenced in spec.policies (for the whole VirtualServer)`);
      }
    });
    const routeName = routeProviders.length > 0 ? `${vsName}:${route.path}` : vsName;
    if (routeProviders.length > 0) translation.authentications.push(nginxAuthentication(`VirtualServer/${routeName}`, routeProviders, routeName, source));
    translation.routes.push({
      id: `${metadata.namespace ?? 'default'}/${vsName}/route-${index}`,
      routeName,
      parents: [],
      hostnames: [spec.host.toLowerCase()],
      match: { path: match, headers: [], queryParams: [] },
      filters: [],
      backends: [{ backend, weight: DEFAULTS.route.backendWeight }],
      source,
    });
  });
}

function isRateLimitPolicy(resources: Resources, name: string): boolean {
  const policy = resources['k8s.nginx.org/Policy'].find((parsed) => parsed.source.name === name);
  return policy !== undefined && policy.resource.spec.rateLimit !== undefined;
}

/** NGINX auth_jwt semantics: a request without a token is rejected (401). */
function nginxAuthentication(name: string, providerIds: string[], routeName: string, source: SourceRef): Authentication {
  return { name, providerIds, targets: [{ kind: 'VirtualServer', name: routeName }], requireToken: true, source };
}

/** NGINX location syntax: `=/path` exact, `~ regex` / `~* regex` (case-insensitive), else prefix. */
function pathMatch(path: string, report: (message: string) => void): PathMatch | undefined {
  if (path.startsWith('~*')) return regexMatch(`(?i:${path.slice(2).trim()})`, report);
  if (path.startsWith('~')) return regexMatch(path.slice(1).trim(), report);
  const exact = path.startsWith('=');
  const value = exact ? path.slice(1).trim() : path;
  if (!value.startsWith('/')) {
    report('must start with "/" (or "=/" for an exact match, "~" for a regular expression)');
    return undefined;
  }
  return exact ? { type: 'Exact', value } : { type: 'PathPrefix', value };
}

function regexMatch(value: string, report: (message: string) => void): PathMatch | undefined {
  try {
    new RegExp(value);
    return { type: 'RegularExpression', value };
  } catch (error) {
    report(`invalid regular expression: ${(error as Error).message}`);
    return undefined;
  }
}
