// Forward stage: picks a backend of the matched rule (weighted) and proxies the request through
// the generation's undici pools. A failure before any byte was sent comes back as a Rejection
// (502/503/504 JSON); once the response has started, Upstreams ends it itself.
import type { RequestContext, Rejection, Stage } from '../context.ts';
import type { Upstreams } from '../forward/upstreams.ts';
import { rewritePath } from '../routing/rewrite-path.ts';
import { routeOf } from './route.ts';

const NO_BACKEND: Rejection = { code: 'internal_error', detail: 'The matched route has no backend' };

export function createForwardStage(upstreams: Upstreams): Stage {
  return {
    name: 'forward',
    run(ctx: RequestContext): Rejection | Promise<Rejection | undefined> {
      const compiled = routeOf(ctx)!;
      // Gateway API: a rule whose backendRefs are all invalid or absent answers 500.
      // The internal-token stage, when present, already picked (the token names that backend).
      const backend = ctx.upstream ?? compiled.pickBackend?.();
      if (backend === undefined) return NO_BACKEND;
      ctx.upstream = backend;
      const path = rewritePath(compiled, ctx.path);
      const upstreamPath = ctx.query === '' ? path : `${path}?${ctx.query}`;
      return upstreams.forward(
        ctx,
        backend,
        upstreamPath,
        ctx.outgoingHeaders!,
        compiled.route.timeoutMs,
        compiled.responseHeaderOps,
      );
    },
  };
}
