// One JSON line per request with chosen fields only. The query string is left out on purpose: it
// may carry `access_token` (RFC 6750 §2.3), and tokens never go to logs (RFC 6750 §5.3).
import type { GatewayLogger } from '../observability/logger.ts';
import type { RequestContext } from './context.ts';
import { routeOf } from './stages/route.ts';

export interface AccessLogEntry {
  requestId: string;
  method: string;
  host: string;
  path: string;
  status: number;
  durationMs: number;
  route?: string;
  upstream?: string;
  principal?: string;
  auth?: string;
}

export function accessLogEntry(ctx: RequestContext, status: number, durationMs: number): AccessLogEntry {
  return {
    requestId: ctx.requestId,
    method: ctx.method,
    host: ctx.host,
    path: ctx.path,
    status,
    durationMs: Math.round(durationMs * 1000) / 1000,
    route: routeOf(ctx)?.route.id,
    upstream: ctx.upstream,
    principal: ctx.identity?.principal,
    auth: ctx.authResult,
  };
}

export function writeAccessLog(logger: GatewayLogger, ctx: RequestContext, status: number, durationMs: number): void {
  logger.info(accessLogEntry(ctx, status, durationMs), 'request');
}
