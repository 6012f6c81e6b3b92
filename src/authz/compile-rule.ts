// One AuthorizationPolicy rule → one predicate. Istio's reference: within a rule `from`, `to`
// and `when` are ANDed; entries of each list are ORed; the values of one field are ORed;
// `not*` fields are negations ANDed with the rest. An empty rule `{}` matches every request.
import type { AuthorizationCondition, AuthorizationRule } from './policy-schema.ts';
import type { AuthzRequest } from './authz-request.ts';
import { compileAnyOf, anyElementMatches, type StringPredicate } from './string-match.ts';
import { compilePathAnyOf } from './path-match.ts';
import { compileIpBlocks } from './ip-match.ts';
import { compileConditionKey } from './condition-keys.ts';

const SPIFFE_SCHEME = 'spiffe://';

export type RequestPredicate = (request: AuthzRequest) => boolean;

type Field = { positive?: string[]; negative?: string[] };

export function compileRule(rule: AuthorizationRule): RequestPredicate {
  const checks: RequestPredicate[] = [];
  if (rule.from) checks.push(anyOf(rule.from.map((f) => compileSource(f.source))));
  if (rule.to) checks.push(anyOf(rule.to.map((t) => compileOperation(t.operation))));
  for (const condition of rule.when ?? []) checks.push(compileCondition(condition));
  return allOf(checks);
}

function compileSource(source: NonNullable<AuthorizationRule['from']>[number]['source']): RequestPredicate {
  const checks: RequestPredicate[] = [];
  addString(checks, { positive: source.requestPrincipals, negative: source.notRequestPrincipals }, (r) => r.identity?.principal);
  // Peer (mTLS) identities from a verified client certificate (src/gateway/peer-identity.ts);
  // without one they are absent — positive forms never match, negative forms always do.
  addString(checks, { positive: withoutSpiffeScheme(source.principals), negative: withoutSpiffeScheme(source.notPrincipals) }, (r) => r.peerPrincipal);
  addString(checks, { positive: source.namespaces, negative: source.notNamespaces }, (r) => r.peerNamespace);
  addIp(checks, { positive: source.ipBlocks, negative: source.notIpBlocks }, (r) => r.sourceIp);
  addIp(checks, { positive: source.remoteIpBlocks, negative: source.notRemoteIpBlocks }, (r) => r.remoteIp);
  return allOf(checks);
}

function compileOperation(operation: NonNullable<AuthorizationRule['to']>[number]['operation']): RequestPredicate {
  const checks: RequestPredicate[] = [];
  addString(checks, { positive: operation.hosts, negative: operation.notHosts }, (r) => r.host, true);
  addString(checks, { positive: operation.ports, negative: operation.notPorts }, (r) => String(r.port));
  addString(checks, { positive: operation.methods, negative: operation.notMethods }, (r) => r.method);
  if (operation.paths) {
    const match = compilePathAnyOf(operation.paths);
    checks.push((r) => match(r.path));
  }
  if (operation.notPaths) {
    const match = compilePathAnyOf(operation.notPaths);
    checks.push((r) => !match(r.path));
  }
  return allOf(checks);
}

function compileCondition(condition: AuthorizationCondition): RequestPredicate {
  const { accessor, kind } = compileConditionKey(condition.key);
  const build = (values: string[]): StringPredicate => (kind === 'ip' ? compileIpBlocks(values) : compileAnyOf(values));
  const positive = condition.values ? build(condition.values) : undefined;
  const negative = condition.notValues ? build(condition.notValues) : undefined;
  return (r) => {
    const values = accessor(r);
    if (positive && !anyElementMatches(positive, values)) return false;
    if (negative && anyElementMatches(negative, values)) return false;
    return true;
  };
}

/** Istio writes principals as `cluster.local/ns/x/sa/y`; the `spiffe://` form names the same peer. */
function withoutSpiffeScheme(principals: string[] | undefined): string[] | undefined {
  return principals?.map((principal) => (principal.startsWith(SPIFFE_SCHEME) ? principal.slice(SPIFFE_SCHEME.length) : principal));
}

function addString(checks: RequestPredicate[], field: Field, read: (r: AuthzRequest) => string | undefined, ignoreCase = false): void {
  if (field.positive) {
    const match = compileAnyOf(field.positive, { ignoreCase });
    checks.push((r) => match(read(r)));
  }
  if (field.negative) {
    const match = compileAnyOf(field.negative, { ignoreCase });
    checks.push((r) => !match(read(r)));
  }
}

function addIp(checks: RequestPredicate[], field: Field, read: (r: AuthzRequest) => string): void {
  if (field.positive) {
    const match = compileIpBlocks(field.positive);
    checks.push((r) => match(read(r)));
  }
  if (field.negative) {
    const match = compileIpBlocks(field.negative);
    checks.push((r) => !match(read(r)));
  }
}

function allOf(checks: RequestPredicate[]): RequestPredicate {
  if (checks.length === 0) return () => true;
  if (checks.length === 1) return checks[0];
  return (r) => {
    for (const check of checks) if (!check(r)) return false;
    return true;
  };
}

function anyOf(checks: RequestPredicate[]): RequestPredicate {
  if (checks.length === 0) return () => true; // `from: []` reads as "not set"
  if (checks.length === 1) return checks[0];
  return (r) => {
    for (const check of checks) if (check(r)) return true;
    return false;
  };
}
