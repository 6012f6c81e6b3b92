// IdentityService spec.ca (src/config/schemas/identity-ca.ts) → the settings of the /ca/v1
// endpoints, with defaults: audience ISSUER/ca, leaves of at most 24 h.
import type { IdentityCaSpec } from '../config/schemas/identity-ca.ts';
import type { CaServiceSettings } from './ca-routes.ts';

const UNIT_SECONDS: Record<string, number> = { d: 86_400, h: 3600, m: 60, s: 1 };

function seconds(text: string): number {
  let total = 0;
  for (const [, amount, unit] of text.matchAll(/(\d+)(d|h|m|s)/g)) total += Number(amount) * UNIT_SECONDS[unit];
  return total;
}

export function resolveCaServiceSettings(spec: IdentityCaSpec | undefined, issuer: string): CaServiceSettings | undefined {
  if (spec === undefined) return undefined;
  return {
    audience: spec.audience ?? `${issuer}/ca`,
    maxTtlSeconds: seconds(spec.maxTtl),
    clients: spec.clients.map((client) => ({ clientId: client.clientId, spiffeIds: client.spiffeIds, dnsNames: client.dnsNames.map((name) => name.toLowerCase()) })),
  };
}
