// Shape stage: builds the header set that goes upstream — the client's headers minus the ones
// it names in Connection and anything marked to drop (the original token), then the route's
// RequestHeaderModifier, the x-forwarded-* and x-request-id headers, and last the identity
// headers, so nothing a client or a filter wrote can replace what the gateway verified.
// Static hop-by-hop fields are removed by the forwarder (forward/hop-by-hop.ts); the fields a
// client names in Connection are removed here, before the gateway adds its own, so a client
// cannot make the forwarder drop an identity header by listing it.
import type { RequestContext, Stage } from '../context.ts';
import { applyHeaderOps } from '../routing/header-ops.ts';
import { routeOf } from './route.ts';

export function createShapeStage(): Stage {
  return {
    name: 'shape',
    run(ctx: RequestContext): undefined {
      const compiled = routeOf(ctx)!;
      const incoming = ctx.req.headers;
      const headers: Record<string, string | string[]> = {};
      for (const name in incoming) {
        const value = incoming[name];
        if (value !== undefined) headers[name] = value;
      }
      const connection = incoming.connection;
      if (connection !== undefined) dropConnectionOptions(headers, connection);
      for (let i = 0; i < ctx.dropHeaders.length; i++) delete headers[ctx.dropHeaders[i]];
      if (compiled.requestHeaderOps !== undefined) applyHeaderOps(compiled.requestHeaderOps, headers);
      // RFC 7239 §5.2 semantics in the de-facto X-Forwarded-* form: append the peer we saw.
      const forwardedFor = headers['x-forwarded-for'];
      headers['x-forwarded-for'] =
        typeof forwardedFor === 'string' && forwardedFor !== '' ? `${forwardedFor}, ${ctx.remoteAddress}` : ctx.remoteAddress;
      headers['x-forwarded-proto'] = ctx.secure ? 'https' : 'http';
      if (incoming.host !== undefined) headers['x-forwarded-host'] = incoming.host;
      headers['x-request-id'] = ctx.requestId;
      const rewriteHost = compiled.rewrite?.hostname;
      if (rewriteHost !== undefined) headers.host = rewriteHost;
      Object.assign(headers, ctx.upstreamHeaders);
      ctx.outgoingHeaders = headers;
      return undefined;
    },
  };
}

/** RFC 9110 §7.6.1: fields named in Connection are hop-by-hop too. */
function dropConnectionOptions(headers: Record<string, string | string[]>, connection: string): void {
  for (const option of connection.split(',')) {
    const name = option.trim().toLowerCase();
    if (name !== '' && name !== 'host') delete headers[name];
  }
  delete headers.connection;
}
