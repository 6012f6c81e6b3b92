// Gateway API HTTPURLRewriteFilter and HTTPRequestRedirectFilter: path replacement, upstream
// Host, and the absolute Location of a redirect.
import type { CompiledRoute } from './compile-router.ts';
import { normalizedPrefix } from './path-matcher.ts';

type PathModifier = { type: 'ReplacePrefixMatch'; value: string } | { type: 'ReplaceFullPath'; value: string };

/**
 * ReplacePrefixMatch swaps the matched prefix element-wise, per the HTTPPathModifier table:
 * prefix `/foo`, replacement `/xyz`: `/foo/bar` → `/xyz/bar`; replacement `/`: `/foo/bar` → `/bar`,
 * `/foo` → `/`. Only meaningful on a PathPrefix match (the spec forbids it elsewhere).
 */
function applyPathModifier(compiled: CompiledRoute, modifier: PathModifier, path: string): string {
  if (modifier.type === 'ReplaceFullPath') return modifier.value;
  const match = compiled.route.match.path;
  if (match.type !== 'PathPrefix') return path;
  const rest = path.slice(normalizedPrefix(match.value).length);
  const replaced = normalizedPrefix(modifier.value) + rest;
  return replaced === '' ? '/' : replaced;
}

/** The path to send upstream (without query); identity when the rule has no URLRewrite path. */
export function rewritePath(compiled: CompiledRoute, path: string): string {
  const modifier = compiled.rewrite?.path;
  return modifier === undefined ? path : applyPathModifier(compiled, modifier, path);
}

/** The Host header to send upstream: URLRewrite's hostname, or the client's host. */
export function upstreamHost(compiled: CompiledRoute, host: string): string {
  return compiled.rewrite?.hostname ?? host;
}

const WELL_KNOWN_PORTS: Record<string, number> = { http: 80, https: 443 };

/**
 * The redirect response for a RequestRedirect rule, or undefined when the rule has none.
 * Port (HTTPRequestRedirectFilter.port): explicit, else the new scheme's well-known port when the
 * scheme changes, else the listener port; it is left out of Location when it is the scheme's
 * default. Location is absolute (RFC 9110 §10.2.2 allows relative; the spec's examples are
 * absolute) and keeps the query.
 */
export function redirectLocation(
  compiled: CompiledRoute,
  request: { secure: boolean; host: string; port: number; path: string; query: string },
): { status: number; location: string } | undefined {
  const redirect = compiled.redirect;
  if (redirect === undefined) return undefined;
  const scheme = redirect.scheme ?? (request.secure ? 'https' : 'http');
  const port = redirect.port ?? (redirect.scheme !== undefined ? WELL_KNOWN_PORTS[scheme] : request.port);
  const hostname = redirect.hostname ?? request.host;
  const authority = port === WELL_KNOWN_PORTS[scheme] ? hostname : `${hostname}:${port}`;
  const path = redirect.path === undefined ? request.path : applyPathModifier(compiled, redirect.path, request.path);
  const query = request.query === '' ? '' : `?${request.query}`;
  return { status: redirect.statusCode ?? 302, location: `${scheme}://${authority}${path}${query}` };
}
