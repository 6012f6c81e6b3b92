// A stand-in gateway for SDK tests: an ES256 key published on a real JWKS server, and internal
// tokens minted with it the way the gateway mints them (iss, aud, sub, orig_iss, scope, roles).
import { randomUUID } from 'node:crypto';
import { SignJWT, type JWTPayload } from 'jose';
import { startJwksServer, type JwksServer } from '../../authn/support/jwks-server.ts';
import { makeSigningKey, nowSeconds, type SigningKey } from '../../authn/support/tokens.ts';

export const GATEWAY_ISSUER = 'https://gateway.test';
export const SERVICE_AUDIENCE = 'orders';

export interface FakeGateway {
  key: SigningKey;
  jwks: JwksServer;
  /** A token as the gateway would forward it to `orders`; `claims` override or add. */
  internalToken(claims?: JWTPayload, key?: SigningKey): Promise<string>;
  close(): Promise<void>;
}

export async function startFakeGateway(): Promise<FakeGateway> {
  const key = await makeSigningKey('gw-1', 'ES256');
  const jwks = await startJwksServer([key.publicJwk]);
  return {
    key,
    jwks,
    internalToken: (claims = {}, signer = key) => {
      const now = nowSeconds();
      return new SignJWT({
        iss: GATEWAY_ISSUER,
        aud: SERVICE_AUDIENCE,
        sub: 'alice',
        orig_iss: 'https://issuer.test',
        scope: 'orders:read profile',
        roles: ['customer'],
        iat: now,
        exp: now + 60,
        jti: randomUUID(),
        ...claims,
      })
        .setProtectedHeader({ alg: signer.alg, kid: signer.kid, typ: 'JWT' })
        .sign(signer.privateKey);
    },
    close: () => jwks.close(),
  };
}
