// One HTTPRouteMatch compiled for the hot path: every condition must hold (Gateway API ANDs the
// fields of a match). Header names are matched case-insensitively (RFC 9110 §5.1); query
// parameter names exactly, using the first occurrence as the spec's HTTPQueryParamMatch says.
import type { IncomingHttpHeaders } from 'node:http';
import type { RouteMatch } from '../../model/gateway-model.ts';
import { compileFullMatchRegex } from './compile-regex.ts';
import { compilePathMatcher, pathMatches, type PathMatcher } from './path-matcher.ts';

interface ValueMatcher {
  readonly name: string;
  readonly exact: string | undefined;
  readonly regex: RegExp | undefined;
}

export interface RequestMatcher {
  readonly path: PathMatcher;
  readonly method: string | undefined;
  readonly headers: readonly ValueMatcher[];
  readonly queryParams: readonly ValueMatcher[];
}

function compileValueMatcher(routeId: string, type: 'Exact' | 'RegularExpression', name: string, value: string): ValueMatcher {
  return type === 'Exact'
    ? { name, exact: value, regex: undefined }
    : { name, exact: undefined, regex: compileFullMatchRegex(routeId, value) };
}

export function compileRequestMatcher(routeId: string, match: RouteMatch): RequestMatcher {
  return {
    path: compilePathMatcher(routeId, match.path),
    method: match.method?.toUpperCase(),
    headers: match.headers.map((h) => compileValueMatcher(routeId, h.type, h.name.toLowerCase(), h.value)),
    queryParams: match.queryParams.map((q) => compileValueMatcher(routeId, q.type, q.name, q.value)),
  };
}

function valueMatches(matcher: ValueMatcher, value: string | null | undefined): boolean {
  if (value === undefined || value === null) return false;
  return matcher.exact !== undefined ? value === matcher.exact : (matcher.regex as RegExp).test(value);
}

/** Everything but the query: the caller parses the query only for routes that need it. */
export function matchesWithoutQuery(matcher: RequestMatcher, method: string, path: string, headers: IncomingHttpHeaders): boolean {
  if (matcher.method !== undefined && matcher.method !== method) return false;
  if (!pathMatches(matcher.path, path)) return false;
  for (let i = 0; i < matcher.headers.length; i++) {
    const raw = headers[matcher.headers[i].name];
    // node:http joins repeated fields with ", " except set-cookie, which stays a list.
    const value = Array.isArray(raw) ? raw.join(', ') : raw;
    if (!valueMatches(matcher.headers[i], value)) return false;
  }
  return true;
}

export function queryMatches(matcher: RequestMatcher, params: URLSearchParams): boolean {
  for (let i = 0; i < matcher.queryParams.length; i++) {
    if (!valueMatches(matcher.queryParams[i], params.get(matcher.queryParams[i].name))) return false;
  }
  return true;
}
