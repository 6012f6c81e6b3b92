// Which oidc-provider features the identity service switches on, and the policies behind them.
// Everything not named here keeps oidc-provider's default (see lib/helpers/defaults.js).
import { errors } from 'oidc-provider';
import type { Client, Configuration, KoaContextWithOIDC } from 'oidc-provider';
import type { IdentityConfig } from './identity-config.ts';
import { clientResources, resourceIndicators } from './provider-resources.ts';
import type { SigningKeyChoice } from './provider-resources.ts';

/** HTML hooks the interaction pages provide (src/identity/interactions). */
export interface PageHooks {
  renderError(ctx: KoaContextWithOIDC, out: { error: string; error_description?: string }, error: Error): Promise<void> | void;
  logoutSource(ctx: KoaContextWithOIDC, form: string): Promise<void> | void;
  postLogoutSuccessSource(ctx: KoaContextWithOIDC): Promise<void> | void;
}

type Features = NonNullable<Configuration['features']>;

export function providerFeatures(config: IdentityConfig, signingKey: SigningKeyChoice, pages: PageHooks | undefined): Features {
  const rpInitiatedLogout = pages
    ? { enabled: true, logoutSource: pages.logoutSource, postLogoutSuccessSource: pages.postLogoutSuccessSource }
    : { enabled: true };
  const resources = resourceIndicators(config, signingKey);
  return {
    // Our own login and consent pages replace the development ones.
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    introspection: { enabled: true, allowedPolicy: introspectionAllowed },
    revocation: { enabled: true, allowedPolicy: revocationAllowed },
    userinfo: { enabled: true },
    rpInitiatedLogout,
    resourceIndicators: {
      ...resources,
      // Machine-to-machine tokens always carry an audience (seed 004: a token without `aud` is
      // accepted by every API). A client registered for exactly one API gets that one by default.
      async defaultResource(ctx, client, oneOf) {
        if (oneOf) return resources.defaultResource(ctx, client, oneOf);
        if (ctx.oidc.params?.grant_type !== 'client_credentials') return undefined;
        const registered = clientResources(client);
        if (registered.length === 1) return registered[0];
        throw new errors.InvalidTarget('resource is required: name the API this token is for');
      },
    },
  } as Features;
}

/**
 * RFC 7662 §2.1: the endpoint is for protected resources, which hold credentials. Public clients
 * (browser and native apps) hold none worth the name and learn nothing here.
 */
async function introspectionAllowed(ctx: KoaContextWithOIDC, client: Client): Promise<boolean> {
  if (client.clientAuthMethod === 'none') {
    throw new errors.UnauthorizedClient('introspection is available to confidential clients only');
  }
  return true;
}

/**
 * RFC 7009 §2.1: a client may revoke only its own tokens. A public client gets the same 200 as
 * for an unknown token (nothing learned); a confidential client is told.
 */
async function revocationAllowed(_ctx: KoaContextWithOIDC, client: Client, token: { clientId?: string }): Promise<boolean> {
  if (token.clientId === client.clientId) return true;
  if (client.clientAuthMethod === 'none') return false;
  throw new errors.InvalidRequest('client is not authorized to revoke the presented token');
}
