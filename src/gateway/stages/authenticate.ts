// Authenticate stage: hands the request to the Authenticator compiled for its route (the union of
// the providers whose RequestAuthentication targets it). A verified token becomes ctx.identity
// and the identity headers; with forwardOriginalToken false the token itself is removed here so
// it never reaches the upstream (Istio semantics).
import type { Authenticator, AuthOutcome } from '../../authn/authenticator.ts';
import type { Route, TokenLocation } from '../../model/gateway-model.ts';
import type { RequestContext, Rejection, Stage } from '../context.ts';
import { routeOf } from './route.ts';

export function createAuthenticateStage(authenticators: ReadonlyMap<Route, Authenticator>): Stage {
  return {
    name: 'authenticate',
    run(ctx: RequestContext): Rejection | undefined | Promise<Rejection | undefined> {
      const authenticator = authenticators.get(routeOf(ctx)!.route);
      if (authenticator === undefined) {
        ctx.authResult = 'anonymous';
        return undefined;
      }
      const outcome = authenticator.authenticate({ headers: ctx.req.headers, query: ctx.query });
      if (outcome instanceof Promise) return outcome.then((settled) => applyOutcome(ctx, settled));
      return applyOutcome(ctx, outcome);
    },
  };
}

function applyOutcome(ctx: RequestContext, outcome: AuthOutcome): Rejection | undefined {
  if (outcome.kind === 'anonymous') {
    ctx.authResult = 'anonymous';
    return undefined;
  }
  if (outcome.kind === 'rejected') {
    ctx.authResult = outcome.rejection.code;
    return outcome.rejection;
  }
  ctx.authResult = 'ok';
  ctx.identity = outcome.identity;
  Object.assign(ctx.upstreamHeaders, outcome.upstreamHeaders);
  if (outcome.removeToken !== undefined) removeToken(ctx, outcome.removeToken);
  return undefined;
}

function removeToken(ctx: RequestContext, location: TokenLocation): void {
  if (location.kind === 'header') ctx.dropHeaders.push(location.name);
  else if (location.kind === 'query') ctx.query = withoutQueryParameter(ctx.query, location.name);
  else {
    const remaining = withoutCookie(ctx.req.headers.cookie ?? '', location.name);
    if (remaining === '') ctx.dropHeaders.push('cookie');
    else ctx.upstreamHeaders.cookie = remaining;
  }
}

/** Removes every `name=…` pair from a raw query string, keeping the others byte for byte. */
export function withoutQueryParameter(query: string, name: string): string {
  return query
    .split('&')
    .filter((pair) => {
      const equals = pair.indexOf('=');
      const rawName = equals < 0 ? pair : pair.slice(0, equals);
      return safeDecode(rawName) !== name;
    })
    .join('&');
}

/** RFC 6265 §4.2.1 `cookie-string`: `a=1; b=2`. */
export function withoutCookie(cookieHeader: string, name: string): string {
  return cookieHeader
    .split(';')
    .map((pair) => pair.trim())
    .filter((pair) => pair !== '' && pair.slice(0, pair.indexOf('=') < 0 ? pair.length : pair.indexOf('=')) !== name)
    .join('; ');
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}
