// The `spec.clients` of an IdentityService → ClientSpecs: secrets resolved, defaults applied,
// and each client checked against the rules (clients.ts) and the declared resources and scopes.
import type { IdentityClientSpec, SecretValueSpec } from '../config/schemas/identity-service.ts';
import { validateClientSpec, type ClientSpec } from './clients.ts';

/** Scopes oidc-provider and our claims mapping know besides the resources' own. */
export const STANDARD_SCOPES = ['openid', 'profile', 'email', 'offline_access', 'roles'] as const;

export function resolveClients(
  clients: readonly IdentityClientSpec[],
  resources: ReadonlyArray<{ identifier: string; scopes: Record<string, string> }>,
  secret: (value: SecretValueSpec, field: string) => string | undefined,
  problem: (field: string, message: string) => void,
): ClientSpec[] {
  const knownScopes = new Set<string>([...STANDARD_SCOPES, ...resources.flatMap((resource) => Object.keys(resource.scopes))]);
  const knownResources = new Set(resources.map((resource) => resource.identifier));
  return clients.map((client, index) => {
    const at = `spec.clients[${index}]`;
    if (clients.findIndex((other) => other.clientId === client.clientId) !== index) problem(`${at}.clientId`, `duplicate client "${client.clientId}"`);
    const clientSecret = client.clientSecret === undefined ? undefined : secret(client.clientSecret, `${at}.clientSecret`);
    const spec: ClientSpec = {
      clientId: client.clientId,
      ...(clientSecret === undefined ? {} : { clientSecret }),
      name: client.name ?? client.clientId,
      public: client.public,
      trusted: client.trusted,
      redirectUris: client.redirectUris,
      postLogoutRedirectUris: client.postLogoutRedirectUris,
      grantTypes: [...new Set(client.grantTypes)],
      scopes: client.scopes,
      resources: client.resources,
    };
    if (!client.public && client.clientSecret === undefined) problem(`${at}.clientSecret`, 'is required for a confidential client (or set public: true)');
    for (const { field, message } of validateClientSpec(spec)) problem(`${at}.${field}`, message);
    client.scopes.forEach((scope, scopeIndex) => {
      if (!knownScopes.has(scope)) problem(`${at}.scopes[${scopeIndex}]`, `unknown scope "${scope}": not a standard scope nor one of spec.resources[].scopes`);
    });
    client.resources.forEach((resource, resourceIndex) => {
      if (!knownResources.has(resource)) problem(`${at}.resources[${resourceIndex}]`, `unknown resource "${resource}": declare it under spec.resources`);
    });
    return spec;
  });
}
