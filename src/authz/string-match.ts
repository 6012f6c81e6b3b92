// Istio's string-match forms for AuthorizationPolicy values (security.istio.io reference,
// "Rule"): exact "abc", prefix "abc*", suffix "*abc", and presence "*" (any non-empty value).
// A list of values matches when any one value matches.

export type StringPredicate = (value: string | undefined) => boolean;

export function compileStringMatch(pattern: string, options: { ignoreCase?: boolean } = {}): StringPredicate {
  const fold = options.ignoreCase ? (s: string) => s.toLowerCase() : (s: string) => s;
  const p = fold(pattern);
  if (p === '*') return (v) => v !== undefined && v !== '';
  if (p.length > 1 && p.endsWith('*')) {
    const prefix = p.slice(0, -1);
    return (v) => v !== undefined && fold(v).startsWith(prefix);
  }
  if (p.length > 1 && p.startsWith('*')) {
    const suffix = p.slice(1);
    return (v) => v !== undefined && fold(v).endsWith(suffix);
  }
  return (v) => v !== undefined && fold(v) === p;
}

/** Any-of over a list of patterns; the empty list is rejected by the caller (Istio: "must not be empty"). */
export function compileAnyOf(patterns: readonly string[], options: { ignoreCase?: boolean } = {}): StringPredicate {
  const predicates = patterns.map((p) => compileStringMatch(p, options));
  if (predicates.length === 1) return predicates[0];
  return (v) => {
    for (const predicate of predicates) if (predicate(v)) return true;
    return false;
  };
}

/** Any-of over a list-valued attribute: matches when any element matches any pattern. */
export function anyElementMatches(predicate: StringPredicate, values: readonly string[]): boolean {
  for (const value of values) if (predicate(value)) return true;
  return false;
}
