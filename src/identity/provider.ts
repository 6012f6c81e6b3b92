// The OAuth 2.0 / OpenID Connect provider: oidc-provider configured from the IdentityService
// document. One Provider per signing-key-set version — server.ts swaps in a new one when keys
// rotate (here or on another instance), because oidc-provider reads `jwks` once at construction.
import Provider from 'oidc-provider';
import type { Configuration, FindAccount, JWK } from 'oidc-provider';
import type { ClientRecord, IdentityStore } from '../store/identity-store.ts';
import { createAdapterFactory } from './adapter.ts';
import { frameDenial } from './frame-denial.ts';
import type { IdentityConfig } from './identity-config.ts';
import type { IssuedTokens } from './issued-tokens.ts';
import { extraClientMetadata, loadExistingGrant } from './provider-clients.ts';
import { providerFeatures } from './provider-features.ts';
import type { PageHooks } from './provider-features.ts';
import { tokenSettings } from './provider-tokens.ts';
import { registerTokenExchange } from './token-exchange.ts';
import type { ExchangeSigner } from './token-exchange.ts';

/** The key ring as the provider sees it (src/identity/keys/key-ring.ts). */
export interface ProviderKeys extends ExchangeSigner {
  /** Private JWKs: active, next (published, never signs), retired (verifies old tokens). */
  providerJwks(): { keys: JWK[] };
}

export interface OidcProviderDependencies {
  readonly config: IdentityConfig;
  readonly store: IdentityStore;
  readonly keys: ProviderKeys;
  /** accounts.ts `findAccount`: disabled or unknown users → undefined. */
  readonly findAccount: (ctx: unknown, sub: string) => Promise<UserAccount | undefined>;
  /** clients.ts `toProviderMetadata` with the KEK bound. */
  readonly clientMetadata: (record: ClientRecord) => Record<string, unknown>;
  readonly issuedTokens: IssuedTokens;
  readonly pages: PageHooks | undefined;
}

export interface UserAccount {
  readonly accountId: string;
  claims(use: string, scope: string): Promise<Record<string, unknown>>;
}

/** OpenID Connect scopes and the user claims each releases (OIDC Core §5.4). */
const OIDC_CLAIMS = {
  openid: ['sub'],
  profile: ['name', 'preferred_username'],
  email: ['email'],
  roles: ['roles', 'groups'],
};

export function createOidcProvider(deps: OidcProviderDependencies): Provider {
  const { config, store, keys, issuedTokens } = deps;
  const signer = keys.activeSigner();
  const signingKey = { alg: signer.alg, kid: signer.kid };
  const resourceScopes = config.resources.flatMap((resource) => Object.keys(resource.scopes));

  const configuration: Configuration = {
    adapter: createAdapterFactory({
      store,
      clientMetadata: deps.clientMetadata,
      revokeGrantAccessTokens: async (grantId) => {
        await issuedTokens.revokeGrant(grantId, Math.floor(Date.now() / 1000));
      },
    }),
    findAccount: providerFindAccount(deps.findAccount),
    jwks: { keys: signingOrder(keys.providerJwks().keys, signer.kid) },
    cookies: {
      keys: config.cookieKeys,
      long: { httpOnly: true, sameSite: 'lax' },
      short: { httpOnly: true, sameSite: 'lax' },
    },
    clientDefaults: {
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: signer.alg as 'RS256',
    },
    // Shared-secret clients authenticate with HTTP Basic (RFC 6749 §2.3.1) or the form; public
    // clients with none (PKCE binds their codes instead).
    clientAuthMethods: ['client_secret_basic', 'client_secret_post', 'none'],
    // Authorization code only (RFC 9700 §2.1.2: no implicit grant, no tokens in the front channel).
    responseTypes: ['code'],
    scopes: [...new Set(['openid', 'offline_access', ...Object.keys(OIDC_CLAIMS), ...resourceScopes])],
    claims: OIDC_CLAIMS,
    features: providerFeatures(config, signingKey, deps.pages),
    extraClientMetadata,
    loadExistingGrant,
    ...tokenSettings(config, store.users),
    formats: { customizers: { jwt: issuedTokens.jwtCustomizer } },
    interactions: { url: async (_ctx, interaction) => `/interaction/${interaction.uid}` },
    clientBasedCORS: (_ctx, origin, client) =>
      client.clientAuthMethod === 'none' && (client.redirectUris ?? []).some((uri) => URL.parse(uri)?.origin === origin),
    ...(deps.pages ? { renderError: deps.pages.renderError } : {}),
  };

  const provider = new Provider(config.issuer, configuration);
  // Behind a TLS-terminating proxy (https issuer, plain listener) trust X-Forwarded-Proto so
  // oidc-provider marks its cookies Secure.
  provider.proxy = config.secureCookies && config.issuer.startsWith('https:');
  provider.use(frameDenial);
  registerTokenExchange(provider, { config, store, keys, issuedTokens });
  return provider;
}

/** oidc-provider's Account: `sub` is always the account id (OIDC Core §5.1). */
function providerFindAccount(find: OidcProviderDependencies['findAccount']): FindAccount {
  return async (ctx, sub) => {
    const account = await find(ctx, sub);
    if (!account) return undefined;
    return {
      accountId: account.accountId,
      claims: async (use, scope) => ({ ...(await account.claims(use, scope)), sub: account.accountId }),
    };
  };
}

/**
 * oidc-provider signs ID tokens with the first key that fits the algorithm, so the active key
 * goes first; every other key is marked verify-only (RFC 7517 §4.3 key_ops) so the next key
 * cannot sign even if the order were wrong.
 */
function signingOrder(keys: readonly JWK[], activeKid: string): JWK[] {
  const active = keys.filter((key) => key.kid === activeKid);
  if (active.length !== 1) throw new Error(`the active signing key ${activeKid} is not in the key set`);
  const others = keys.filter((key) => key.kid !== activeKid).map((key) => ({ ...key, key_ops: ['verify'] }));
  return [...active, ...others];
}
