// `when` condition keys (Istio "Authorization Policy Conditions"): each key compiles once into an
// accessor that returns the attribute's values as strings. A list-valued attribute (audiences,
// a list claim) matches when any element matches.
import type { AuthzRequest } from './authz-request.ts';

export type AttributeAccessor = (request: AuthzRequest) => readonly string[];

const NONE: readonly string[] = [];

export type ValueKind = 'string' | 'ip';

export function compileConditionKey(key: string): { accessor: AttributeAccessor; kind: ValueKind } {
  switch (key) {
    case 'request.auth.principal':
      return { kind: 'string', accessor: (r) => (r.identity ? [r.identity.principal] : NONE) };
    case 'request.auth.audiences':
      return { kind: 'string', accessor: (r) => r.identity?.audiences ?? NONE };
    case 'request.auth.presenter':
      return { kind: 'string', accessor: (r) => claimValues(r.identity?.claims, ['azp']) };
    case 'source.ip':
      return { kind: 'ip', accessor: (r) => [r.sourceIp] };
    case 'remote.ip':
      return { kind: 'ip', accessor: (r) => [r.remoteIp] };
    case 'destination.port':
      return { kind: 'string', accessor: (r) => [String(r.port)] };
    case 'connection.sni':
      return { kind: 'string', accessor: (r) => (r.sni ? [r.sni] : NONE) };
    // The verified client certificate's identity (`trust-domain/ns/x/sa/y`) and namespace.
    case 'source.principal':
      return { kind: 'string', accessor: (r) => (r.peerPrincipal ? [r.peerPrincipal] : NONE) };
    case 'source.namespace':
      return { kind: 'string', accessor: (r) => (r.peerNamespace ? [r.peerNamespace] : NONE) };
  }
  const header = /^request\.headers\[([^\]]+)\]$/.exec(key);
  if (header) {
    const name = header[1].toLowerCase();
    return {
      kind: 'string',
      accessor: (r) => {
        const value = r.headers[name];
        if (value === undefined) return NONE;
        return Array.isArray(value) ? value : [value];
      },
    };
  }
  const claims = /^request\.auth\.claims((?:\[[^\]]+\])+)$/.exec(key);
  if (claims) {
    const path = [...claims[1].matchAll(/\[([^\]]+)\]/g)].map((m) => m[1]);
    return { kind: 'string', accessor: (r) => claimValues(r.identity?.claims, path) };
  }
  throw new Error(`unsupported condition key "${key}"`);
}

/** Walks nested claims (`claims[a][b]`); a list value yields its elements; scalars become strings. */
export function claimValues(claims: Readonly<Record<string, unknown>> | undefined, path: readonly string[]): readonly string[] {
  let value: unknown = claims;
  for (const segment of path) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return NONE;
    value = (value as Record<string, unknown>)[segment];
  }
  if (value === undefined || value === null) return NONE;
  if (Array.isArray(value)) return value.filter(isScalar).map(String);
  return isScalar(value) ? [String(value)] : NONE;
}

function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}
