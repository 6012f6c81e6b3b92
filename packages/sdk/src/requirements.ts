// What a handler needs beyond a verified identity. Every listed scope (or role) is required;
// a missing one is a 403 with RFC 6750 §3.1 `insufficient_scope`.
import { GatehouseAuthError } from './errors.ts';
import type { GatehouseIdentity } from './identity.ts';

/** Throws GatehouseAuthError (403) when the identity lacks something. */
export type Requirement = (identity: GatehouseIdentity) => void;

export function requireScopes(...scopes: string[]): Requirement {
  return (identity) => {
    if (!scopes.every((scope) => identity.scopes.includes(scope))) {
      throw new GatehouseAuthError('ERR_GATEHOUSE_INSUFFICIENT_SCOPE', `requires scope ${scopes.join(' ')}`, { required: scopes });
    }
  };
}

export function requireRoles(...roles: string[]): Requirement {
  return (identity) => {
    if (!roles.every((role) => identity.roles.includes(role))) {
      throw new GatehouseAuthError('ERR_GATEHOUSE_INSUFFICIENT_ROLE', `requires role ${roles.join(' ')}`, { required: roles });
    }
  };
}

export function checkRequirements(identity: GatehouseIdentity, requirements: readonly Requirement[]): void {
  for (const requirement of requirements) requirement(identity);
}
