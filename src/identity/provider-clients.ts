// Client-related provider settings: the extra metadata our client documents carry, and the
// first-party rule — a trusted client (ours) gets what it asks for within its registration
// without a consent page; every other client goes through consent (pages' consent prompt).
import type { Client, Configuration, Grant, KoaContextWithOIDC } from 'oidc-provider';

/** Extra client metadata produced by clients.ts `toProviderMetadata`. */
export const CLIENT_EXTRA_METADATA = ['gatehouse_trusted', 'gatehouse_resources'] as const;

export function isTrustedClient(client: Client): boolean {
  return (client as unknown as { gatehouse_trusted?: unknown }).gatehouse_trusted === true;
}

export const extraClientMetadata: NonNullable<Configuration['extraClientMetadata']> = {
  properties: [...CLIENT_EXTRA_METADATA],
  validator(_ctx, key, value) {
    if (key === 'gatehouse_trusted' && value !== undefined && typeof value !== 'boolean') {
      throw new TypeError('gatehouse_trusted must be a boolean');
    }
    if (key === 'gatehouse_resources' && value !== undefined) {
      const valid = Array.isArray(value) && value.every((item) => typeof item === 'string' && URL.canParse(item));
      if (!valid) throw new TypeError('gatehouse_resources must be an array of absolute URIs');
    }
  },
};

/**
 * oidc-provider's `loadExistingGrant`: the grant remembered for this session and client, and for
 * trusted clients one extended with everything requested (scopes were already checked against
 * the client's registration, resource scopes against the client's resources), so the consent
 * prompt has nothing left to ask.
 */
export async function loadExistingGrant(ctx: KoaContextWithOIDC): Promise<Grant | undefined> {
  const { client, session, provider, account } = ctx.oidc;
  if (!client) return undefined;
  const grantId = ctx.oidc.result?.consent?.grantId ?? session?.grantIdFor(client.clientId);
  const existing = grantId ? await provider.Grant.find(grantId) : undefined;
  if (!isTrustedClient(client) || !account) return existing;

  const grant = existing ?? new provider.Grant({ clientId: client.clientId, accountId: account.accountId });
  const oidcScopes = [...ctx.oidc.requestParamOIDCScopes].join(' ');
  if (oidcScopes) grant.addOIDCScope(oidcScopes);
  const claims = [...ctx.oidc.requestParamClaims];
  if (claims.length > 0) grant.addOIDCClaims(claims);
  const requested = ctx.oidc.requestParamScopes;
  for (const [indicator, resourceServer] of Object.entries(ctx.oidc.resourceServers ?? {})) {
    const scopes = [...requested].filter((scope) => resourceServer.scopes.has(scope)).join(' ');
    if (scopes) grant.addResourceScope(indicator, scopes);
  }
  await grant.save();
  return grant;
}
