// Body-limit stage (after route, so each route's limit applies; before authenticate, so an
// oversized upload is refused before any token work). A Content-Length over the limit is refused
// at once with 413 (RFC 9110 §15.5.14); a body without one is counted as it streams upstream
// (limits/body-size-limiter.ts).
import type { GatewayModel, Route } from '../../model/gateway-model.ts';
import type { RequestContext, Rejection, Stage } from '../context.ts';
import { routeOf } from './route.ts';

const BODY_TOO_LARGE: Rejection = { code: 'request_body_too_large' };

export function createBodyLimitStage(model: GatewayModel): Stage {
  const defaultLimit = model.options.limits.maxRequestBodyBytes;
  const byRouteName = new Map(model.options.routeBodyLimits.map((entry) => [entry.routeName, entry.maxRequestBodyBytes]));
  const byRoute = new Map<Route, number>();
  for (const route of model.routes) byRoute.set(route, byRouteName.get(route.routeName) ?? defaultLimit);
  return {
    name: 'body-limit',
    run(ctx: RequestContext): Rejection | undefined {
      const headers = ctx.req.headers;
      const contentLength = headers['content-length'];
      const chunked = headers['transfer-encoding'] !== undefined;
      if (contentLength === undefined && !chunked) return undefined;
      const limit = byRoute.get(routeOf(ctx)!.route) ?? defaultLimit;
      // Node's parser already refused a malformed Content-Length (and one beside Transfer-Encoding).
      if (!chunked && Number(contentLength) <= limit) return undefined;
      if (!chunked) return tooLarge(ctx);
      // Counted only once it goes upstream (upstreamBody): a request refused before that keeps
      // its unread body, which Node then discards as usual.
      ctx.unsizedBodyLimit = limit;
      return undefined;
    },
  };
}

/** The unread body is not worth draining: close the connection after the answer. */
export function tooLarge(ctx: RequestContext): Rejection {
  ctx.res.setHeader('connection', 'close');
  return BODY_TOO_LARGE;
}
