// Which rules of a policy can match a request at all, by the first segment of the path. A rule
// whose every `to` operation lists `paths` that all start with a literal segment (`/orders/*`,
// `/orders/{*}`, `/orders`) can only match requests under that segment; the others stay in
// every candidate list. With 1,000 rules over distinct services a request then tries a handful
// of rules instead of all of them (issue 7: policy size must not cost throughput).
import type { AuthorizationRule } from './policy-schema.ts';

export type CandidateRules = (path: string) => readonly number[];

export function buildRuleIndex(rules: readonly AuthorizationRule[]): CandidateRules {
  const everywhere: number[] = [];
  const bySegment = new Map<string, number[]>();
  rules.forEach((rule, index) => {
    const segments = literalFirstSegments(rule);
    if (segments === undefined) {
      everywhere.push(index);
      return;
    }
    for (const segment of segments) {
      let bucket = bySegment.get(segment);
      if (bucket === undefined) bySegment.set(segment, (bucket = []));
      if (bucket.at(-1) !== index) bucket.push(index);
    }
  });
  if (bySegment.size === 0) return () => everywhere;
  // Each bucket also holds the rules that apply everywhere, in rule order, so the first match
  // found is the first matching rule of the policy (what explain and the access log report).
  const merged = new Map<string, readonly number[]>();
  for (const [segment, bucket] of bySegment) merged.set(segment, [...bucket, ...everywhere].sort((a, b) => a - b));
  return (path) => merged.get(firstSegment(path)) ?? everywhere;
}

export function firstSegment(path: string): string {
  const end = path.indexOf('/', 1);
  return end === -1 ? path.slice(1) : path.slice(1, end);
}

/** The literal first segments a rule's paths confine it to, or undefined when it may match any path. */
function literalFirstSegments(rule: AuthorizationRule): Set<string> | undefined {
  if (rule.to === undefined || rule.to.length === 0) return undefined;
  const segments = new Set<string>();
  for (const { operation } of rule.to) {
    if (operation.paths === undefined) return undefined;
    for (const pattern of operation.paths) {
      const segment = literalFirstSegment(pattern);
      if (segment === undefined) return undefined;
      segments.add(segment);
    }
  }
  return segments;
}

function literalFirstSegment(pattern: string): string | undefined {
  if (!pattern.startsWith('/') || pattern === '*') return undefined;
  const prefix = pattern.endsWith('*') && !pattern.endsWith('{**}') ? pattern.slice(0, -1) : undefined;
  const literal = prefix ?? pattern;
  const end = literal.indexOf('/', 1);
  // A prefix like `/users*` also matches `/usersX`: its first segment is not fully known.
  if (end === -1 && prefix !== undefined) return undefined;
  const segment = end === -1 ? literal.slice(1) : literal.slice(1, end);
  if (segment === '' || segment.includes('*') || segment.includes('{')) return undefined;
  return segment;
}
