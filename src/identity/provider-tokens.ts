// Token lifetimes, refresh-token policy and the claims user access tokens carry.
import type { Configuration, KoaContextWithOIDC } from 'oidc-provider';
import type { UserStore } from '../store/identity-store.ts';
import type { IdentityConfig } from './identity-config.ts';

type TokenSettings = Pick<Configuration, 'ttl' | 'rotateRefreshToken' | 'issueRefreshToken' | 'extraTokenClaims'>;

export function tokenSettings(config: IdentityConfig, users: UserStore): TokenSettings {
  const { tokens } = config;
  return {
    ttl: {
      // Short-lived access tokens (seed 004): the resource's own lifetime, else the default.
      AccessToken: (_ctx, token) => token.resourceServer?.accessTokenTTL ?? tokens.accessTokenSeconds,
      ClientCredentials: (_ctx, token) => token.resourceServer?.accessTokenTTL ?? tokens.accessTokenSeconds,
      AuthorizationCode: () => 60,
      IdToken: () => tokens.idTokenSeconds,
      // A rotated refresh token inherits what is left of its predecessor's lifetime, so a chain
      // of rotations never outlives one `refreshTokenSeconds` (an absolute cap, RFC 9700 §4.14.2).
      RefreshToken: (ctx, token) =>
        ctx?.oidc?.entities.RotatedRefreshToken?.remainingTTL ?? tokens.refreshTokenSeconds,
      Session: () => tokens.sessionSeconds,
      Interaction: () => tokens.interactionSeconds,
      Grant: () => Math.max(tokens.refreshTokenSeconds, tokens.sessionSeconds),
    },
    // Every use of a refresh token replaces it; presenting a replaced one again revokes the
    // whole grant (oidc-provider's reuse detection, RFC 9700 §4.14.2).
    rotateRefreshToken: true,
    // Clients registered for the refresh_token grant get one with every code exchange. Without
    // `offline_access` it still ends with the login session (oidc-provider's expiresWithSession).
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    extraTokenClaims: (ctx, token) => userTokenClaims(ctx, 'accountId' in token ? token.accountId : undefined, users),
  };
}

/** What gateways authorize on (seed 000: `request.auth.claims[roles]`), and nothing more (seed 004: minimal claims). */
async function userTokenClaims(
  _ctx: KoaContextWithOIDC,
  accountId: string | undefined,
  users: UserStore,
): Promise<Record<string, unknown> | undefined> {
  if (!accountId) return undefined;
  const user = await users.findById(accountId);
  if (!user) return undefined;
  return { preferred_username: user.username, roles: [...user.roles], groups: [...user.groups] };
}
