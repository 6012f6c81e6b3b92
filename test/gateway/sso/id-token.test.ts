// OIDC Core §3.1.3.7 ID-token validation by the gateway: the issuer's key set (our KeySet over
// an inline JWK Set), pinned asymmetric algorithms, iss, aud, azp, exp and the nonce we sent.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pino } from 'pino';
import { KeySet } from '../../../src/authn/key-set.ts';
import { OidcClient } from '../../../src/gateway/sso/oidc-client.ts';
import { SsoError } from '../../../src/gateway/sso/sso-error.ts';
import type { BrowserLogin } from '../../../src/model/browser-login.ts';
import { makeSigningKey, mint, nowSeconds, signHs256Raw } from '../../authn/support/tokens.ts';

const ISSUER = 'https://issuer.test';
const login = {
  name: 'web', targets: [], issuer: ISSUER, clientId: 'gateway-web', clientSecret: 's', scopes: ['openid'],
  callbackPath: '/cb', logoutPath: '/lo', postLogoutPath: '/', cookie: { keys: [], secure: 'auto' },
  sessionLifetimeSeconds: 3600, timeoutMs: 1000, source: { file: 'x', documentIndex: 0, kind: 'BrowserLogin', name: 'web' },
} satisfies BrowserLogin;

test('an ID token is accepted only when signed by the issuer for this client with our nonce', async () => {
  const key = await makeSigningKey('k1', 'ES256');
  const stranger = await makeSigningKey('k1', 'ES256');
  const keySet = new KeySet({
    source: { kind: 'inline', jwks: JSON.stringify({ keys: [key.publicJwk] }) },
    refresh: { minSeconds: 30, maxSeconds: 3600, unknownKidCooldownSeconds: 30 },
    label: ISSUER, fetch: globalThis.fetch, logger: pino({ level: 'silent' }),
  });
  await keySet.whenLoaded();
  const client = new OidcClient(login, keySet, { algorithms: ['RS256', 'ES256', 'HS256'], clockSkewSeconds: 60 });
  const now = nowSeconds();
  const claims = { iss: ISSUER, aud: 'gateway-web', sub: 'alice', iat: now, exp: now + 300, nonce: 'n-1' };

  const payload = await client.verifyIdToken(await mint(key, claims), 'n-1', now);
  assert.equal(payload.sub, 'alice');
  assert.equal((await client.verifyIdToken(await mint(key, { ...claims, aud: ['gateway-web', 'other'], azp: 'gateway-web' }), 'n-1', now)).sub, 'alice');

  const refused: [string, Promise<string> | string, string?][] = [
    ['another nonce', mint(key, claims), 'n-2'],
    ['no nonce', mint(key, { ...claims, nonce: undefined })],
    ['another audience', mint(key, { ...claims, aud: 'someone-else' })],
    ['several audiences, azp not us', mint(key, { ...claims, aud: ['gateway-web', 'other'], azp: 'other' })],
    ['another issuer', mint(key, { ...claims, iss: 'https://evil.test' })],
    ['expired', mint(key, { ...claims, iat: now - 1000, exp: now - 200 })],
    ['no sub', mint(key, { ...claims, sub: undefined })],
    ['signed by another key with the same kid', mint(stranger, claims)],
    ['HS256 with any secret', signHs256Raw('secret', { alg: 'HS256', kid: 'k1' }, claims)],
    ['not a JWS', 'garbage'],
  ];
  for (const [name, token, nonce] of refused) {
    await assert.rejects(client.verifyIdToken(await token, nonce ?? 'n-1', now), (error: unknown) => error instanceof SsoError && error.code === 'sso_id_token_invalid', name);
  }
  keySet.close();
});
