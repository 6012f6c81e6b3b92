// Resource indicators (RFC 8707): every access token names exactly one API (`aud`), the client
// must be registered for that API, and the token carries only scopes the API defines AND the
// client is allowed (oidc-provider further intersects with what was requested/granted).
// Tokens for APIs are JWTs per RFC 9068 (`typ: at+jwt`), signed with the ACTIVE key by kid so a
// published-but-not-yet-active ("next") key can never sign one.
import { errors } from 'oidc-provider';
import type { Client, KoaContextWithOIDC, ResourceServer } from 'oidc-provider';
import type { IdentityConfig } from './identity-config.ts';

export interface SigningKeyChoice {
  readonly alg: string;
  readonly kid: string;
}

export type ResourceIndicatorsFeature = {
  enabled: true;
  getResourceServerInfo: (ctx: KoaContextWithOIDC, resourceIndicator: string, client: Client) => Promise<ResourceServer>;
  defaultResource: (ctx: KoaContextWithOIDC, client: Client, oneOf?: readonly string[]) => Promise<string | readonly string[] | undefined>;
  useGrantedResource: () => Promise<boolean>;
};

/** The client's registered audiences (extra metadata `gatehouse_resources`, see provider-clients.ts). */
export function clientResources(client: Client): readonly string[] {
  const value = (client as unknown as { gatehouse_resources?: unknown }).gatehouse_resources;
  return Array.isArray(value) ? (value as string[]) : [];
}

/** The scopes a client may ask for (its registered `scope` metadata). */
export function clientScopes(client: Client): Set<string> {
  return new Set((client.scope ?? '').split(' ').filter(Boolean));
}

export function resourceIndicators(config: IdentityConfig, signingKey: SigningKeyChoice): ResourceIndicatorsFeature {
  const resources = new Map(config.resources.map((resource) => [resource.identifier, resource]));
  return {
    enabled: true,
    async getResourceServerInfo(_ctx, indicator, client) {
      const resource = resources.get(indicator);
      if (!resource) throw new errors.InvalidTarget('unknown resource');
      if (!clientResources(client).includes(indicator)) {
        throw new errors.InvalidTarget('client is not registered for this resource');
      }
      const allowed = clientScopes(client);
      return {
        scope: Object.keys(resource.scopes).filter((scope) => allowed.has(scope)).join(' '),
        audience: indicator,
        accessTokenTTL: resource.accessTokenSeconds ?? config.tokens.accessTokenSeconds,
        accessTokenFormat: 'jwt',
        jwt: { sign: { alg: signingKey.alg as 'RS256', kid: signingKey.kid } },
      };
    },
    // When several resources were granted and the token request names none, do not guess:
    // RFC 8707 §2.2 — the client must say which audience this access token is for.
    async defaultResource(_ctx, _client, oneOf) {
      return oneOf && oneOf.length === 1 ? oneOf[0] : oneOf;
    },
    // A refresh/code exchange without `resource` gets the one resource that was granted, so a
    // client that asked for one API at authorization does not have to repeat it.
    async useGrantedResource() {
      return true;
    },
  };
}
