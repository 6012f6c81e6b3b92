// Route stage: Gateway API matching (precedence already compiled into the router). A request no
// route matches ends here with 404; a RequestRedirect rule is answered here, before any token
// is looked at, because it never reaches a backend.
import type { RequestContext, Rejection, Stage } from '../context.ts';
import type { CompiledRoute, Router } from '../routing/compile-router.ts';
import { redirectLocation } from '../routing/rewrite-path.ts';

const ROUTE_NOT_FOUND: Rejection = { code: 'route_not_found' };

/** The concrete type of `ctx.route` once this stage has run. */
export function routeOf(ctx: RequestContext): CompiledRoute | undefined {
  return ctx.route as CompiledRoute | undefined;
}

export function createRouteStage(router: Router): Stage {
  return {
    name: 'route',
    run(ctx: RequestContext): Rejection | undefined {
      const compiled = router.match({
        listenerPort: ctx.listenerPort,
        host: ctx.host,
        method: ctx.method,
        path: ctx.path,
        query: ctx.query,
        headers: ctx.req.headers,
      });
      if (compiled === undefined) return ROUTE_NOT_FOUND;
      ctx.route = compiled;
      if (compiled.redirect !== undefined) answerRedirect(ctx, compiled);
      return undefined;
    },
  };
}

function answerRedirect(ctx: RequestContext, compiled: CompiledRoute): void {
  const redirect = redirectLocation(compiled, {
    secure: ctx.secure,
    host: ctx.host,
    port: ctx.listenerPort,
    path: ctx.path,
    query: ctx.query,
  });
  if (redirect === undefined) return;
  ctx.res.writeHead(redirect.status, { location: redirect.location, 'content-length': 0 });
  ctx.res.end();
  ctx.responded = true;
}
