// Dry-run of the gateway's decision for one request, without a server: route it with the
// compiled router, build the Identity a verified token with these claims would give, and run
// the route's compiled Authorizer — the same objects the gateway's stages use — so
// `gatehouse check --explain` answers what a client would get.
import type { IncomingHttpHeaders } from 'node:http';
import type { GatewayModel, JwtProvider, Listener, Route } from '../model/gateway-model.ts';
import type { Identity } from '../model/identity.ts';
import { authenticationsFor } from '../model/route-targets.ts';
import { audiencesOf } from '../authn/verify-claims.ts';
import { REASONS, type ReasonCode } from '../gateway/reasons.ts';
import { compileRouteAuthorizers } from '../gateway/route-authorizers.ts';
import { compileRouter } from '../gateway/routing/compile-router.ts';
import { redirectLocation } from '../gateway/routing/rewrite-path.ts';
import { compilePathNormalizer } from '../gateway/stages/normalize-path.ts';
import type { Decision } from './evaluate.ts';

export interface ExplainRequest {
  method: string;
  /** Absolute URL: `https://api.example.com/users/1`. */
  url: string;
  headers: Record<string, string>;
  /** Verified token claims, or undefined for a request without a credential. */
  claims?: Record<string, unknown>;
  sourceIp: string;
}

export interface Explanation {
  listener: string;
  route?: string;
  path: string;
  principal?: string;
  /** Undefined when no policy applies to the route (or the request stops before authorization). */
  decision?: Decision;
  /** 200 allowed, a RequestRedirect rule's status (or 307 to the unescaped path), else the refusal's status. */
  status: number;
  /** Where a redirect sends the client (absolute, as the gateway's Location header). */
  location?: string;
  /** The reason code of a refusal (reasons.ts), e.g. `rbac_denied`, `jwt_missing`. */
  reason?: ReasonCode;
  /** RFC 6750 §3 error attribute of the 403, when a scope requirement failed. */
  bearerError?: 'insufficient_scope';
  requiredScopes?: string[];
}

export class ExplainInputError extends Error {
  readonly code = 'explain_input_invalid';
}

export async function explainRequest(model: GatewayModel, request: ExplainRequest): Promise<Explanation> {
  const url = parseUrl(request.url);
  const listener = listenerFor(model.listeners, url);
  // As sent: WHATWG URL parsing would already resolve `..` and turn `\\` into `/`.
  const rawPath = /^[a-z]+:\/\/[^/?#]*([^?#]*)/i.exec(request.url)?.[1] || '/';
  const path = compilePathNormalizer(model.options.pathNormalization)(rawPath);
  if (path === undefined) return refusal(listener, rawPath, 'path_invalid');
  // UNESCAPE_AND_REDIRECT: the client is sent to the unescaped path first.
  if (typeof path !== 'string') return { listener: listener.id, path: path.redirectTo, status: 307 };
  const headers: IncomingHttpHeaders = { host: url.host };
  for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = value;
  const compiled = compileRouter(model).match({
    listenerPort: listener.port,
    host: url.hostname.toLowerCase(),
    method: request.method,
    path,
    query: url.search.slice(1),
    headers,
  });
  if (compiled === undefined) return refusal(listener, path, 'route_not_found');
  const route = compiled.route;
  const base = { listener: listener.id, route: route.id, path };
  // The route stage answers a RequestRedirect rule before any token is looked at.
  const redirect = redirectLocation(compiled, { secure: listener.protocol === 'HTTPS', host: url.hostname.toLowerCase(), port: listener.port, path, query: url.search.slice(1) });
  if (redirect !== undefined) return { ...base, status: redirect.status, location: redirect.location };
  const authentication = authenticationOutcome(model, route, request.claims);
  if ('reason' in authentication) return { ...base, status: REASONS[authentication.reason].status, reason: authentication.reason };
  const identity = authentication.identity;
  const entry = compileRouteAuthorizers(model).get(route);
  if (entry === undefined) return { ...base, principal: identity?.principal, status: 200 };
  const decision = await entry.authorizer.authorize({
    method: request.method,
    host: url.hostname.toLowerCase(),
    path,
    port: listener.port,
    headers,
    sourceIp: request.sourceIp,
    remoteIp: request.sourceIp,
    sni: listener.protocol === 'HTTPS' ? url.hostname : undefined,
    identity,
  });
  const explained: Explanation = { ...base, principal: identity?.principal, decision, status: 200 };
  if (decision.allowed) return explained;
  // Same rule as the authorize stage: anonymous denial on a route that takes tokens → 401, else 403.
  if (identity === undefined && entry.acceptsTokens) return { ...explained, status: REASONS.jwt_missing.status, reason: 'jwt_missing' };
  const scoped = decision.requiredScopes !== undefined ? { bearerError: 'insufficient_scope' as const, requiredScopes: decision.requiredScopes } : {};
  return { ...explained, status: REASONS.rbac_denied.status, reason: 'rbac_denied', ...scoped };
}

function refusal(listener: Listener, path: string, reason: ReasonCode): Explanation {
  return { listener: listener.id, path, status: REASONS[reason].status, reason };
}

function parseUrl(text: string): URL {
  try {
    const url = new URL(text);
    if (url.protocol === 'http:' || url.protocol === 'https:') return url;
  } catch {
    // reported below
  }
  throw new ExplainInputError(`"${text}" is not an absolute http(s) URL`);
}

/** The listener on the URL's explicit port, else the first one of the URL's scheme. */
function listenerFor(listeners: readonly Listener[], url: URL): Listener {
  const protocol = url.protocol === 'https:' ? 'HTTPS' : 'HTTP';
  const listener = url.port !== ''
    ? listeners.find((candidate) => candidate.port === Number(url.port))
    : (listeners.find((candidate) => candidate.protocol === protocol) ?? listeners[0]);
  if (listener === undefined) throw new ExplainInputError(`no listener serves ${url.origin}`);
  return listener;
}

/**
 * What the authenticate stage would produce for a verified token with these claims: the
 * provider is picked by `iss` as the gateway does (an exact issuer before '*'); no provider on
 * the route means the token is not looked at.
 */
function authenticationOutcome(
  model: GatewayModel, route: Route, claims: Record<string, unknown> | undefined,
): { identity?: Identity } | { reason: ReasonCode } {
  const applying = authenticationsFor(route, model.authentications);
  if (claims === undefined) return applying.some((a) => a.requireToken) ? { reason: 'jwt_missing' } : {};
  const ids = new Set(applying.flatMap((a) => a.providerIds));
  const providers = model.providers.filter((provider) => ids.has(provider.id));
  if (providers.length === 0) return {};
  const issuer = typeof claims.iss === 'string' ? claims.iss : '';
  const provider = providers.find((p) => p.issuer === issuer) ?? providers.find((p) => p.issuer === '*');
  if (provider === undefined) return { reason: 'jwt_issuer_not_configured' };
  if (!audienceAccepted(provider, claims)) return { reason: 'jwt_audience_mismatch' };
  const subject = typeof claims.sub === 'string' ? claims.sub : '';
  return {
    identity: {
      issuer,
      subject,
      principal: `${issuer}/${subject}`,
      audiences: audiencesOf(claims),
      claims,
      providerId: provider.id,
      tokenKind: 'jwt',
    },
  };
}

function audienceAccepted(provider: JwtProvider, claims: Record<string, unknown>): boolean {
  if (provider.audiences.length === 0) return true;
  const audiences = audiencesOf(claims);
  return provider.audiences.some((audience) => audiences.includes(audience));
}
