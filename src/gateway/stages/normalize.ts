// First stage: turn the raw request into the canonical form every later stage reads — method,
// host without port, normalized path, raw query, a request id — and remove any identity header
// a client sent, so only the gateway can set them (a client must never forge identity).
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { RequestContext, Rejection, Stage } from '../context.ts';
import type { PathNormalization } from '../../model/path-normalization.ts';
import { compilePathNormalizer, normalizePath, type PathNormalizer } from './normalize-path.ts';

export interface NormalizeOptions {
  /** Lower-case header names the gateway sets upstream (identity headers of every authenticator). */
  identityHeaderNames: readonly string[];
  /** More header fields than this → 431 (Node only truncates silently past its own limit). */
  maxHeaderCount: number;
  /** GatewayOptions pathNormalization; default MERGE_SLASHES with %2F/%5C refused. */
  pathNormalization?: PathNormalization;
}

const PATH_INVALID: Rejection = { code: 'path_invalid' };
const HEADER_TOO_LARGE: Rejection = { code: 'header_too_large' };
const BAD_REQUEST: Rejection = { code: 'bad_request', detail: 'Missing or invalid Host header' };
/** Accept a client's request id only when it is short and harmless in logs and headers. */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function createNormalizeStage(options: NormalizeOptions): Stage {
  const identityHeaderNames = options.identityHeaderNames;
  const maxRawHeaderEntries = options.maxHeaderCount * 2;
  const normalize: PathNormalizer = options.pathNormalization ? compilePathNormalizer(options.pathNormalization) : normalizePath;
  return {
    name: 'normalize',
    run(ctx: RequestContext): Rejection | undefined {
      const req = ctx.req;
      const headers = req.headers;
      // The request id first, so that even a refused request is traceable in the access log.
      const clientRequestId = headers['x-request-id'];
      ctx.requestId =
        typeof clientRequestId === 'string' && SAFE_REQUEST_ID.test(clientRequestId) ? clientRequestId : randomUUID();
      if (req.rawHeaders.length > maxRawHeaderEntries) return HEADER_TOO_LARGE;
      const target = splitTarget(req.url ?? '');
      if (target === undefined) return PATH_INVALID;
      const host = hostWithoutPort(headers.host ?? target.authority);
      if (host === undefined) return BAD_REQUEST;
      ctx.host = host;
      const path = normalize(target.path);
      if (path === undefined) return PATH_INVALID;
      if (typeof path !== 'string') return redirectToUnescaped(ctx, path.redirectTo, target.query);
      ctx.path = path;
      ctx.query = target.query;
      stripIdentityHeaders(headers, identityHeaderNames);
      return undefined;
    },
  };
}

/** Envoy UNESCAPE_AND_REDIRECT: send the client to the unescaped path (307 keeps the method). */
function redirectToUnescaped(ctx: RequestContext, path: string, query: string): undefined {
  ctx.path = path;
  ctx.query = query;
  ctx.res.writeHead(307, { location: query === '' ? path : `${path}?${query}`, 'content-length': 0 });
  ctx.res.end();
  ctx.responded = true;
  return undefined;
}

function stripIdentityHeaders(headers: IncomingHttpHeaders, names: readonly string[]): void {
  for (let i = 0; i < names.length; i++) {
    if (headers[names[i]] !== undefined) delete headers[names[i]];
  }
}

/** RFC 9112 §3.2: origin-form `/path?query`, or absolute-form `http://host/path?query` (proxies). */
function splitTarget(url: string): { path: string; query: string; authority?: string } | undefined {
  let rest = url;
  let authority: string | undefined;
  if (!url.startsWith('/')) {
    const match = /^https?:\/\/([^/?#]+)(.*)$/i.exec(url);
    if (match === null) return undefined;
    authority = match[1];
    rest = match[2] === '' ? '/' : match[2];
  }
  const questionMark = rest.indexOf('?');
  if (questionMark < 0) return { path: rest, query: '', authority };
  return { path: rest.slice(0, questionMark), query: rest.slice(questionMark + 1), authority };
}

/** `Example.COM:8080` → `example.com`; `[::1]:8080` → `[::1]`; undefined when empty or malformed. */
export function hostWithoutPort(host: string | undefined): string | undefined {
  if (host === undefined || host.length === 0) return undefined;
  let end = host.length;
  if (host.charCodeAt(0) === 0x5b) {
    end = host.indexOf(']') + 1;
    if (end === 0) return undefined;
  } else {
    const colon = host.indexOf(':');
    if (colon >= 0) end = colon;
  }
  if (end === 0) return undefined;
  const name = host.slice(0, end).toLowerCase();
  return /[\s/\\@]/.test(name) ? undefined : name;
}
