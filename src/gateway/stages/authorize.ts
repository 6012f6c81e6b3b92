// Authorize stage: runs the AuthorizationPolicies that apply to the route (src/authz). A denial
// of a request that carried no credential is a 401 with the route's realm (or the login
// redirect) — an improvement on Istio's 403, so clients know to authenticate; a denial of an
// authenticated request, or on a route that accepts no token (mTLS peers only), is 403
// `RBAC: access denied`.
import type { TLSSocket } from 'node:tls';
import type { Authorizer } from '../../authz/authorizer.ts';
import type { AuthzRequest } from '../../authz/authz-request.ts';
import type { Decision } from '../../authz/evaluate.ts';
import type { Route } from '../../model/gateway-model.ts';
import type { RequestContext, Rejection, Stage } from '../context.ts';
import { peerIdentityOf } from '../peer-identity.ts';
import { routeOf } from './route.ts';

export interface RouteAuthorization {
  authorizer: Authorizer;
  /** Realm and login URL of the route's first JWT provider, for the 401 of an anonymous denial. */
  realm: string;
  loginUrl?: string;
  /** False when no JWT provider applies to the route: a token cannot help, so no 401 challenge. */
  acceptsTokens: boolean;
}

export interface AuthorizationObserver {
  authzDecision(policy: string, allowed: boolean): void;
}

export function createAuthorizeStage(byRoute: ReadonlyMap<Route, RouteAuthorization>, observer: AuthorizationObserver): Stage {
  return {
    name: 'authorize',
    run(ctx: RequestContext): Rejection | undefined | Promise<Rejection | undefined> {
      const entry = byRoute.get(routeOf(ctx)!.route);
      if (entry === undefined) return undefined;
      const decision = entry.authorizer.authorize(authzRequestOf(ctx));
      if (decision instanceof Promise) return decision.then((settled) => apply(ctx, entry, settled, observer));
      return apply(ctx, entry, decision, observer);
    },
  };
}

function apply(ctx: RequestContext, entry: RouteAuthorization, decision: Decision, observer: AuthorizationObserver): Rejection | undefined {
  observer.authzDecision(decision.policy ?? (decision.allowed ? 'none' : 'default-deny'), decision.allowed);
  ctx.authzDecision = decision;
  if (decision.allowed) {
    if (decision.upstreamHeaders !== undefined) Object.assign(ctx.upstreamHeaders, decision.upstreamHeaders);
    return undefined;
  }
  if (ctx.identity === undefined && entry.acceptsTokens) return { code: 'jwt_missing', realm: entry.realm, loginUrl: entry.loginUrl };
  if (decision.requiredScopes !== undefined) {
    return { code: 'rbac_denied', realm: entry.realm, bearerError: 'insufficient_scope', requiredScope: decision.requiredScopes.join(' ') };
  }
  return { code: 'rbac_denied' };
}

export function authzRequestOf(ctx: RequestContext): AuthzRequest {
  const socket = ctx.req.socket as Partial<TLSSocket>;
  const peer = peerIdentityOf(ctx.req.socket);
  return {
    method: ctx.method,
    host: ctx.host,
    path: ctx.path,
    port: ctx.listenerPort,
    headers: ctx.req.headers,
    sourceIp: ctx.remoteAddress,
    remoteIp: ctx.remoteAddress,
    sni: typeof socket.servername === 'string' ? socket.servername : undefined,
    identity: ctx.identity,
    peerPrincipal: peer?.principal,
    peerNamespace: peer?.namespace,
  };
}
