// Compiles the model's routes (already in Gateway API precedence order) into a matcher that
// stays fast with 10,000 routes: buckets by listener port, then by host (exact map, then
// wildcard suffixes from the most to the least specific, then routes for any host), and tries
// only that bucket's candidates, in order (route-bucket.ts). Exact beats wildcard beats any, as
// the HTTPRoute precedence rules put "characters in a matching non-wildcard hostname" first.
import type { IncomingHttpHeaders } from 'node:http';
import type { GatewayModel, Route, RouteFilter } from '../../model/gateway-model.ts';
import { compileHeaderOps, type HeaderOps } from './header-ops.ts';
import { compileRequestMatcher } from './request-matcher.ts';
import { RouteBucket, type RouteEntry } from './route-bucket.ts';
import { ANY_HOST, routeAttachment } from './route-attachment.ts';
import { createWeightedPicker } from './weighted-picker.ts';

export type RedirectFilter = Extract<RouteFilter, { type: 'RequestRedirect' }>;
export type RewriteFilter = Extract<RouteFilter, { type: 'URLRewrite' }>;

export interface CompiledRoute {
  route: Route;
  /** Precompiled filter actions (apply with applyHeaderOps, rewritePath, redirectLocation). */
  requestHeaderOps?: HeaderOps;
  responseHeaderOps?: HeaderOps;
  redirect?: RedirectFilter;
  rewrite?: RewriteFilter;
  /** Weighted backend picker; undefined for redirect-only rules and when every weight is 0. */
  pickBackend?: () => string;
}

export interface RouteRequest {
  listenerPort: number;
  /** Lower-case, without port. */
  host: string;
  method: string;
  path: string;
  /** Raw query without '?'. */
  query: string;
  headers: IncomingHttpHeaders;
}

export interface Router {
  match(request: RouteRequest): CompiledRoute | undefined;
  /** Number of routes attached to at least one listener. */
  readonly size: number;
}

interface PortRoutes {
  readonly exact: Map<string, RouteBucket>;
  /** Keyed by the suffix after '*': ".example.com". */
  readonly wildcard: Map<string, RouteBucket>;
  readonly any: RouteBucket;
}

function compileRoute(route: Route): CompiledRoute {
  const compiled: CompiledRoute = { route };
  const requestOps = compileHeaderOps(route.filters.flatMap((f) => (f.type === 'RequestHeaderModifier' ? [f.modifier] : [])));
  const responseOps = compileHeaderOps(route.filters.flatMap((f) => (f.type === 'ResponseHeaderModifier' ? [f.modifier] : [])));
  if (requestOps !== undefined) compiled.requestHeaderOps = requestOps;
  if (responseOps !== undefined) compiled.responseHeaderOps = responseOps;
  for (const filter of route.filters) {
    if (filter.type === 'RequestRedirect') compiled.redirect = filter;
    else if (filter.type === 'URLRewrite') compiled.rewrite = filter;
  }
  const pickBackend = createWeightedPicker(route.backends);
  if (pickBackend !== undefined) compiled.pickBackend = pickBackend;
  return compiled;
}

function bucketFor(map: Map<string, RouteBucket>, key: string): RouteBucket {
  let bucket = map.get(key);
  if (bucket === undefined) map.set(key, (bucket = new RouteBucket()));
  return bucket;
}

class BucketedRouter implements Router {
  readonly size: number;
  readonly #ports: Map<number, PortRoutes>;

  constructor(ports: Map<number, PortRoutes>, size: number) {
    this.#ports = ports;
    this.size = size;
  }

  match(request: RouteRequest): CompiledRoute | undefined {
    const port = this.#ports.get(request.listenerPort);
    if (port === undefined) return undefined;
    const host = request.host;
    const exact = port.exact.get(host);
    if (exact !== undefined) {
      const hit = exact.firstMatch(request);
      if (hit !== undefined) return hit;
    }
    if (port.wildcard.size > 0) {
      // Longest suffix first: "*.b.example.com" is more specific than "*.example.com".
      for (let dot = host.indexOf('.'); dot !== -1; dot = host.indexOf('.', dot + 1)) {
        const bucket = port.wildcard.get(host.slice(dot));
        if (bucket === undefined) continue;
        const hit = bucket.firstMatch(request);
        if (hit !== undefined) return hit;
      }
    }
    return port.any.firstMatch(request);
  }
}

export function compileRouter(model: GatewayModel): Router {
  const ports = new Map<number, PortRoutes>();
  let attached = 0;
  for (const route of model.routes) {
    const attachment = routeAttachment(route, model.listeners);
    if (attachment.size === 0) continue;
    attached++;
    const matcher = compileRequestMatcher(route.id, route.match);
    const entry: RouteEntry = { compiled: compileRoute(route), matcher, needsQuery: matcher.queryParams.length > 0, order: attached };
    for (const [port, hosts] of attachment) {
      let portRoutes = ports.get(port);
      if (portRoutes === undefined) ports.set(port, (portRoutes = { exact: new Map(), wildcard: new Map(), any: new RouteBucket() }));
      for (const host of hosts) {
        if (host === ANY_HOST) portRoutes.any.add(entry);
        else if (host.startsWith('*.')) bucketFor(portRoutes.wildcard, host.slice(1)).add(entry);
        else bucketFor(portRoutes.exact, host).add(entry);
      }
    }
  }
  return new BucketedRouter(ports, attached);
}
