// Path matching for AuthorizationPolicy `paths` / `notPaths`: Istio's string forms plus path
// templates (Istio 1.19+): `{*}` matches exactly one segment, `{**}` one or more segments and
// must be the last operator. Paths arrive already normalized by the gateway's normalize stage,
// so `/public/../admin` and `//admin` are matched as `/admin`.
import { compileStringMatch, type StringPredicate } from './string-match.ts';

export function compilePathMatch(pattern: string): StringPredicate {
  if (!pattern.includes('{')) return compileStringMatch(pattern);
  const segments = pattern.split('/');
  const doubleIndex = segments.indexOf('{**}');
  if (doubleIndex !== -1 && doubleIndex !== segments.length - 1) {
    throw new Error(`path template "${pattern}": {**} must be the last operator`);
  }
  const parts = segments.map((segment) => {
    if (segment === '{*}') return '[^/]+';
    if (segment === '{**}') return '.+';
    if (segment.includes('{') || segment.includes('}') || segment.includes('*')) {
      throw new Error(`path template "${pattern}": a segment is either a literal, {*} or {**}`);
    }
    return escapeRegExp(segment);
  });
  const regex = new RegExp(`^${parts.join('/')}$`);
  return (v) => v !== undefined && regex.test(v);
}

export function compilePathAnyOf(patterns: readonly string[]): StringPredicate {
  const predicates = patterns.map(compilePathMatch);
  return (v) => {
    for (const predicate of predicates) if (predicate(v)) return true;
    return false;
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
