// Gateway API HTTPPathMatch: Exact, PathPrefix (element-wise), RegularExpression.
import type { PathMatch } from '../../model/gateway-model.ts';
import { compileFullMatchRegex } from './compile-regex.ts';

export interface PathMatcher {
  readonly kind: 'any' | 'exact' | 'prefix' | 'regex';
  /** Exact value, or the prefix without its trailing slash. */
  readonly value: string;
  readonly regex: RegExp | undefined;
}

/** A PathPrefix's trailing slash is ignored: `/foo/` and `/foo` match the same paths. */
export function normalizedPrefix(prefix: string): string {
  return prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
}

export function compilePathMatcher(routeId: string, match: PathMatch): PathMatcher {
  if (match.type === 'Exact') return { kind: 'exact', value: match.value, regex: undefined };
  if (match.type === 'RegularExpression') {
    return { kind: 'regex', value: match.value, regex: compileFullMatchRegex(routeId, match.value) };
  }
  const value = normalizedPrefix(match.value);
  return { kind: value === '' ? 'any' : 'prefix', value, regex: undefined };
}

/**
 * PathPrefix matches on element boundaries (Gateway API HTTPPathMatch): `/foo` matches `/foo`,
 * `/foo/` and `/foo/bar`, never `/foobar`.
 */
export function pathMatches(matcher: PathMatcher, path: string): boolean {
  switch (matcher.kind) {
    case 'any':
      return true;
    case 'exact':
      return path === matcher.value;
    case 'prefix': {
      const length = matcher.value.length;
      return path.startsWith(matcher.value) && (path.length === length || path.charCodeAt(length) === 47 /* '/' */);
    }
    case 'regex':
      return (matcher.regex as RegExp).test(path);
  }
}
