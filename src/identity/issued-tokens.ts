// The JWT access tokens this service issued, by jti, so they can be revoked later. oidc-provider
// does not store structured (JWT) access tokens, yet revoking a grant — refresh-token reuse, an
// RFC 7009 revocation, logout — must reach the gateways that accept them until they expire.
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { IssuedTokenRecord, IssuedTokenStore } from '../store/identity-store.ts';
import type { RevocationPublisher } from '../store/redis/revocation-publisher.ts';

export interface IssuedTokens {
  record(token: IssuedTokenRecord): Promise<void>;
  /** Revokes every still-valid JWT issued under the grant; returns how many. */
  revokeGrant(grantId: string, now: number): Promise<number>;
  /**
   * oidc-provider's `formats.customizers.jwt`: runs (awaited) while each JWT access token is
   * built, so the token is on record before the client can hold it.
   */
  jwtCustomizer(ctx: KoaContextWithOIDC, token: TokenModel, jwt: { payload: Record<string, unknown> }): Promise<void>;
}

interface TokenModel {
  readonly grantId?: string;
  readonly accountId?: string;
  readonly clientId?: string;
}

export function createIssuedTokens(store: IssuedTokenStore, publisher: Pick<RevocationPublisher, 'revoke'>): IssuedTokens {
  const record = (token: IssuedTokenRecord) => store.record(token);
  return {
    record,
    async revokeGrant(grantId, now) {
      const live = (await store.byGrant(grantId)).filter((token) => token.expiresAt > now);
      for (const token of live) {
        await publisher.revoke({ kind: 'jti', value: token.jti, revokedAt: now, expiresAt: token.expiresAt });
      }
      return live.length;
    },
    async jwtCustomizer(_ctx, token, jwt) {
      const { jti, exp, client_id: clientId } = jwt.payload;
      if (typeof jti !== 'string' || typeof exp !== 'number' || typeof clientId !== 'string') {
        throw new TypeError('JWT access token without jti, exp or client_id');
      }
      await record({ jti, grantId: token.grantId, clientId, accountId: token.accountId, expiresAt: exp });
    },
  };
}
