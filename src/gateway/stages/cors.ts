// CORS stage (after route, before authenticate): answers preflights itself — a preflight never
// carries credentials (Fetch §4.8), so it must never need a token — and marks actual requests
// from an allowed origin with the CORS response headers. They are set on the response now, so
// gateway rejections (a 401 the page must be able to read) carry them too; the forward stage
// keeps them over the upstream's own (see preferGatewayCorsHeaders).
import type { Route } from '../../model/gateway-model.ts';
import type { RequestContext, Rejection, Stage } from '../context.ts';
import { compileCors, type CompiledCors } from '../cors/compile-cors.ts';
import { routeOf } from './route.ts';

/** Compiles every route's CORS filter; undefined when no route has one (the stage is left out). */
export function createCorsStage(routes: readonly Route[]): Stage | undefined {
  const byRoute = new Map<Route, CompiledCors>();
  for (const route of routes) {
    const filter = route.filters.find((candidate) => candidate.type === 'CORS');
    if (filter !== undefined) byRoute.set(route, compileCors(filter.cors));
  }
  if (byRoute.size === 0) return undefined;
  return {
    name: 'cors',
    run(ctx: RequestContext): Rejection | undefined {
      const compiled = routeOf(ctx);
      const cors = compiled === undefined ? undefined : byRoute.get(compiled.route);
      if (cors === undefined) return undefined;
      const res = ctx.res;
      // Responses differ by Origin: caches must key on it (Fetch §3.2.5 / CORS and caching).
      res.setHeader('vary', 'Origin');
      ctx.corsHeadersSet = true;
      const origin = ctx.req.headers.origin;
      const requestedMethod = ctx.req.headers['access-control-request-method'];
      if (ctx.method === 'OPTIONS' && origin !== undefined && requestedMethod !== undefined) {
        answerPreflight(ctx, cors, origin, requestedMethod);
        return undefined;
      }
      if (origin === undefined) return undefined;
      const allowOrigin = cors.allowOriginFor(origin);
      if (allowOrigin === undefined) return undefined;
      res.setHeader('access-control-allow-origin', allowOrigin);
      if (cors.allowCredentials) res.setHeader('access-control-allow-credentials', 'true');
      if (cors.exposeHeaders !== '') res.setHeader('access-control-expose-headers', cors.exposeHeaders);
      return undefined;
    },
  };
}

/** Fetch §4.8: a preflight needs an ok status (2xx) and the allow headers; a disallowed origin
 * gets none, so the browser blocks the actual request. Never forwarded upstream. */
function answerPreflight(ctx: RequestContext, cors: CompiledCors, origin: string, requestedMethod: string): void {
  const headers: Record<string, string> = { 'content-length': '0' };
  const allowOrigin = cors.allowOriginFor(origin);
  if (allowOrigin !== undefined) {
    const requestedHeaders = ctx.req.headers['access-control-request-headers'];
    headers['access-control-allow-origin'] = allowOrigin;
    if (cors.allowCredentials) headers['access-control-allow-credentials'] = 'true';
    headers['access-control-allow-methods'] = cors.allowMethods ?? requestedMethod;
    const allowHeaders = cors.allowHeaders ?? requestedHeaders;
    if (allowHeaders !== undefined && allowHeaders !== '') headers['access-control-allow-headers'] = allowHeaders;
    headers['access-control-max-age'] = cors.maxAge;
  }
  ctx.res.writeHead(204, headers);
  ctx.res.end();
  ctx.responded = true;
}
