// One JSON line per request with chosen fields only. The query string is left out on purpose: it
// may carry `access_token` (RFC 6750 §2.3), and tokens never go to logs (RFC 6750 §5.3).
import { symbols as pinoSymbols } from 'pino';
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
  /** The AuthorizationPolicy / AccessPolicy (and rule index) that decided, when one did. */
  authz?: { policy: string; rule?: number };
  /** AUDIT policies that matched (Istio: audited requests go on, the match is recorded). */
  audit?: string[];
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
    authz: ctx.authzDecision?.policy === undefined ? undefined : { policy: ctx.authzDecision.policy, rule: ctx.authzDecision.rule },
    audit: ctx.authzDecision !== undefined && ctx.authzDecision.audited.length > 0 ? ctx.authzDecision.audited : undefined,
  };
}

/**
 * The access line carries chosen fields only, none of which can hold a credential, so it skips
 * the redaction pass every other log line pays for — a measurable share of a cached request's
 * CPU in the benchmark profile. Everything else keeps logging through the redacting logger.
 */
export function createAccessLogger(logger: GatewayLogger): GatewayLogger {
  return logger.child({}, { redact: { paths: [], censor: '' } });
}

const INFO = 30;
/** pino's documented `pino.symbols` (its typings omit a few, msgPrefixSym among them). */
const symbols = pinoSymbols as unknown as Record<keyof typeof pinoSymbols | 'msgPrefixSym', symbol>;
const OUR_FIELDS = ['requestId', 'method', 'host', 'path', 'status', 'durationMs', 'route', 'upstream', 'principal', 'auth', 'authz', 'audit', 'msg'];

export type AccessLogWriter = (ctx: RequestContext, status: number, durationMs: number) => void;

/**
 * The per-request writer. On a plain pino logger (no mixin, hooks, log formatter, message prefix,
 * nested key, serializer or stringifier for our fields — the gateway's own logger) it builds the
 * line pino would build, `{"level":30,"time":…,"pid":…,<fields>,"msg":"request"}`, with one
 * native JSON.stringify instead of pino's per-field loop (issue 7 profile: pino's asJson was
 * the largest share of the access log's cost). Any other logger gets the ordinary logger.info.
 */
export function createAccessLogWriter(logger: GatewayLogger): AccessLogWriter {
  const accessLogger = createAccessLogger(logger);
  if (!isPlainPino(accessLogger)) return (ctx, status, durationMs) => writeAccessLog(accessLogger, ctx, status, durationMs);
  const internals = accessLogger as unknown as Record<symbol, unknown>;
  const levelPrefix = (internals[symbols.lsCacheSym] as Record<number, string>)[INFO];
  const time = internals[symbols.timeSym] as () => string;
  const end = internals[symbols.endSym] as string;
  const stream = internals[symbols.streamSym] as { write(line: string): unknown };
  return (ctx, status, durationMs) => {
    if (accessLogger.isLevelEnabled('info')) {
      // Read per line: pino keeps child bindings here, and `setBindings` may change them.
      const chindings = internals[symbols.chindingsSym] as string;
      const fields = JSON.stringify(accessLineFields(ctx, status, durationMs));
      stream.write(`${levelPrefix}${time()}${chindings},${fields.slice(1, -1)}${end}`);
    }
    writeDenialDebug(accessLogger, ctx);
  };
}

function isPlainPino(logger: GatewayLogger): boolean {
  const internals = logger as unknown as Record<symbol, unknown>;
  const formatters = internals[symbols.formattersSym] as { log?: unknown } | undefined;
  const hooks = internals[symbols.hooksSym] as { logMethod?: unknown; streamWrite?: unknown } | undefined;
  const serializers = (internals[symbols.serializersSym] ?? {}) as Record<string, unknown>;
  const stringifiers = (internals[symbols.stringifiersSym] ?? {}) as Record<string | symbol, unknown>;
  const stream = internals[symbols.streamSym] as ({ write?: unknown } & Record<symbol, unknown>) | undefined;
  const levels = internals[symbols.lsCacheSym] as Record<number, unknown> | undefined;
  return (
    internals[symbols.mixinSym] === undefined &&
    formatters?.log === undefined &&
    hooks?.logMethod === undefined &&
    hooks?.streamWrite === undefined &&
    internals[symbols.msgPrefixSym] === undefined &&
    internals[symbols.messageKeySym] === 'msg' &&
    internals[symbols.nestedKeySym] === null &&
    !OUR_FIELDS.some((key) => serializers[key] !== undefined) &&
    Object.keys(stringifiers).length === 0 &&
    stringifiers[symbols.wildcardFirstSym] === undefined &&
    typeof levels?.[INFO] === 'string' &&
    typeof internals[symbols.timeSym] === 'function' &&
    typeof internals[symbols.chindingsSym] === 'string' &&
    typeof internals[symbols.endSym] === 'string' &&
    typeof stream?.write === 'function' &&
    stream[symbols.needsMetadataGsym] !== true
  );
}

/** The access entry plus pino's message key, last as pino writes it. */
function accessLineFields(ctx: RequestContext, status: number, durationMs: number): AccessLogEntry & { msg: string } {
  return Object.assign(accessLogEntry(ctx, status, durationMs), { msg: 'request' });
}

export function writeAccessLog(logger: GatewayLogger, ctx: RequestContext, status: number, durationMs: number): void {
  logger.info(accessLogEntry(ctx, status, durationMs), 'request');
  writeDenialDebug(logger, ctx);
}

/** Why a request was refused, for operators at debug level (issue 5: "explainable"). */
function writeDenialDebug(logger: GatewayLogger, ctx: RequestContext): void {
  const decision = ctx.authzDecision;
  if (decision !== undefined && !decision.allowed && logger.isLevelEnabled('debug')) {
    logger.debug({ requestId: ctx.requestId, route: routeOf(ctx)?.route.id, authz: { policy: decision.policy, rule: decision.rule, action: decision.action, reason: decision.reason, audited: decision.audited } }, 'authorization denied');
  }
}
