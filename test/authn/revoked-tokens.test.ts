// The authenticator with a revocation check: a revoked token is refused (401, token_revoked,
// bearer error invalid_token) whether it is verified now or was verified and cached before, and
// its cache entry goes; tokens the records do not cover pass.
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { compileAuthenticator, type AuthOutcome, type AuthRequest } from '../../src/authn/authenticator.ts';
import { KeySetRegistry } from '../../src/authn/key-set-registry.ts';
import { VerifiedTokenCache } from '../../src/authn/verified-token-cache.ts';
import { createRevocationCheck } from '../../src/gateway/revocation/revocation-check.ts';
import { RevocationSet } from '../../src/authn/revocation-set.ts';
import { startJwksServer } from './support/jwks-server.ts';
import { ISSUER, makeProvider, RecordingLogger, RecordingObserver } from './support/provider.ts';
import { makeSigningKey, mint, nowSeconds } from './support/tokens.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup() {
  const key = await makeSigningKey('k1');
  const server = await startJwksServer([key.publicJwk]);
  const registry = new KeySetRegistry({ logger: new RecordingLogger() });
  cleanups.push(() => server.close(), () => registry.close());
  const observer = new RecordingObserver();
  const cache = new VerifiedTokenCache({ maxEntries: 100 });
  const set = new RevocationSet();
  const provider = makeProvider({ keys: { kind: 'remote', uri: server.jwksUri, timeoutMs: 2000 } });
  const authenticator = compileAuthenticator([provider], { requireToken: false, registry, cache, observer, revocations: createRevocationCheck(set, []) });
  await registry.whenLoaded([provider]);
  return { key, cache, set, observer, authenticator };
}

const bearer = (token: string): AuthRequest => ({ headers: { authorization: `Bearer ${token}` }, query: '' });

function rejection(outcome: AuthOutcome) {
  assert.equal(outcome.kind, 'rejected');
  return outcome.kind === 'rejected' ? outcome.rejection : undefined;
}

describe('revoked tokens', () => {
  test('a cached token revoked afterwards is refused, and its cache entry dropped', async () => {
    const { key, cache, set, authenticator } = await setup();
    const token = await mint(key, { iss: ISSUER, sub: 'alice', jti: 'j-1', iat: nowSeconds(), exp: nowSeconds() + 600 });
    assert.equal((await authenticator.authenticate(bearer(token))).kind, 'verified');
    assert.equal(cache.size, 1);
    set.apply({ kind: 'jti', value: 'j-1', revokedAt: nowSeconds(), expiresAt: nowSeconds() + 600 }, nowSeconds());
    const refused = rejection(await authenticator.authenticate(bearer(token)));
    assert.equal(refused?.code, 'token_revoked');
    assert.equal(refused?.bearerError, 'invalid_token');
    assert.equal(cache.size, 0);
  });

  test('a token revoked before it was first seen is refused and never cached', async () => {
    const { key, cache, set, observer, authenticator } = await setup();
    set.apply({ kind: 'subject', value: 'mallory', revokedAt: nowSeconds(), expiresAt: nowSeconds() + 600 }, nowSeconds());
    const token = await mint(key, { iss: ISSUER, sub: 'mallory', iat: nowSeconds() - 5, exp: nowSeconds() + 600 });
    assert.equal(rejection(await authenticator.authenticate(bearer(token)))?.code, 'token_revoked');
    assert.equal(cache.size, 0);
    assert.ok(observer.failures.includes('token_revoked'));
    const other = await mint(key, { iss: ISSUER, sub: 'alice', iat: nowSeconds() - 5, exp: nowSeconds() + 600 });
    assert.equal((await authenticator.authenticate(bearer(other))).kind, 'verified');
  });
});
