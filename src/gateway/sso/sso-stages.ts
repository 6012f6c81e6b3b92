// The two pipeline stages of browser login (docs/sso.md):
// - endpoints, before routing: the callback and logout paths are answered by the gateway itself;
// - session, after routing, before authenticate: on a covered route without an Authorization
//   header, the session cookie's access token becomes `Authorization: Bearer …`, so it is
//   verified, authorized and forwarded exactly like a bearer token; a 401 there is turned into
//   a login redirect for navigations (errors.ts asks ctx.browserLogin).
// On every route the gateway's own cookies are removed from what goes upstream.
import type { RequestContext, Rejection, Stage } from '../context.ts';
import { routeOf } from '../stages/route.ts';
import { handleCallback } from './callback.ts';
import { FRESH_SESSION_SECONDS } from './browser-login-runtime.ts';
import { endpointFor, type CompiledBrowserLogins } from './compile-browser-logins.ts';
import { appendSetCookies, isCookieOf } from './cookies.ts';
import { handleLogout } from './logout.ts';
import { isBrowserNavigation } from './navigation.ts';

export function createSsoEndpointsStage(compiled: CompiledBrowserLogins): Stage {
  const reserved = new Set(compiled.endpoints.flatMap(({ runtime }) => [runtime.login.callbackPath, runtime.login.logoutPath]));
  return {
    name: 'sso-endpoints',
    run(ctx: RequestContext): Promise<Rejection | undefined> | undefined {
      if (!reserved.has(ctx.path)) return undefined;
      const runtime = endpointFor(compiled.endpoints, ctx.listenerPort, ctx.host, ctx.path);
      if (runtime === undefined) return undefined;
      ctx.responded = true;
      ctx.authResult = 'anonymous';
      if (ctx.path === runtime.login.logoutPath) return handleLogout(runtime, ctx).then(() => undefined);
      if (ctx.method !== 'GET') {
        ctx.responded = false;
        return Promise.resolve({ code: 'bad_request', detail: 'The login callback accepts GET only' });
      }
      return handleCallback(runtime, ctx, ctx.query).then(() => undefined);
    },
  };
}

export function createSsoSessionStage(compiled: CompiledBrowserLogins): Stage {
  const cookieNames = compiled.cookieNames;
  return {
    name: 'sso-session',
    run(ctx: RequestContext): Promise<Rejection | undefined> | undefined {
      const headers = ctx.req.headers;
      const cookie = headers.cookie;
      if (cookie !== undefined && cookieNames.some((name) => cookie.includes(name))) stripOwnCookies(ctx, cookie, cookieNames);
      const runtime = compiled.byRoute.get(routeOf(ctx)!.route);
      if (runtime === undefined) return undefined;
      ctx.browserLogin = runtime;
      // A navigation may end in a login redirect, which needs the issuer's metadata.
      const awaitMetadata = runtime.client.metadata === undefined && isBrowserNavigation(ctx.method, headers);
      if (headers.authorization !== undefined || cookie === undefined || !cookie.includes(runtime.cookieNames(ctx).session)) {
        return awaitMetadata ? runtime.client.discover().then(() => undefined) : undefined;
      }
      const nowSeconds = Math.floor(Date.now() / 1000);
      return runtime.readSession(ctx, nowSeconds).then(async (outcome) => {
        if (outcome.kind === 'active') {
          headers.authorization = `Bearer ${outcome.accessToken}`;
          if (nowSeconds - outcome.startedAt < FRESH_SESSION_SECONDS) runtime.markFresh(ctx.req);
        }
        if (outcome.kind !== 'none') appendSetCookies(ctx.res, outcome.setCookies);
        if (awaitMetadata) await runtime.client.discover();
        return undefined;
      });
    },
  };
}

/** The gateway's cookies are its own: upstreams never see them (the session holds tokens). */
function stripOwnCookies(ctx: RequestContext, cookie: string, names: readonly string[]): void {
  const kept = cookie
    .split(';')
    .map((pair) => pair.trim())
    .filter((pair) => {
      const eq = pair.indexOf('=');
      const name = eq < 0 ? pair : pair.slice(0, eq);
      return pair !== '' && !names.some((own) => isCookieOf(name, own));
    });
  if (kept.length === 0) ctx.dropHeaders.push('cookie');
  else ctx.upstreamHeaders.cookie = kept.join('; ');
}
