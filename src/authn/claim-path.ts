// Claims named with "." reach into nested objects, as Istio's outputClaimToHeaders and
// Envoy's claim_to_headers do: "realm_access.roles" → payload.realm_access.roles. Only own
// properties count, so "constructor" or "__proto__" never resolve to something inherited.

export function readClaim(payload: Readonly<Record<string, unknown>>, path: string): unknown {
  if (Object.hasOwn(payload, path)) return payload[path];
  let value: unknown = payload;
  for (const part of path.split('.')) {
    if (typeof value !== 'object' || value === null || Array.isArray(value) || !Object.hasOwn(value, part)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}
