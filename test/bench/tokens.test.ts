import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { BENCH_ALGORITHMS, generateSigningKey, mintTokens, mintTokensInParallel } from '../../bench/tokens.ts';

const claims = { issuer: 'https://issuer.bench.test', audience: 'bench-api', role: 'user', lifetimeSeconds: 600 };

for (const alg of BENCH_ALGORITHMS) {
  test(`${alg} bench tokens are distinct and verify against the published JWK with iss, aud and exp`, async () => {
    const key = generateSigningKey(alg);
    const tokens = mintTokens(key, claims, 'user', 3);
    assert.equal(new Set(tokens).size, 3);
    const keySet = createLocalJWKSet({ keys: [key.publicJwk] });
    for (const [i, token] of tokens.entries()) {
      const { payload, protectedHeader } = await jwtVerify(token, keySet, { issuer: claims.issuer, audience: claims.audience, algorithms: [alg] });
      assert.equal(protectedHeader.kid, key.kid);
      assert.equal(payload.sub, `user-${i}`);
      assert.equal(payload.role, 'user');
      assert.equal(payload.exp! - payload.iat!, 600);
    }
  });
}

test('tokens minted on worker threads are the same sequence: distinct subjects in order, all valid', async () => {
  const key = generateSigningKey('ES256');
  const tokens = await mintTokensInParallel(key, claims, 'user', 2_500);
  assert.equal(tokens.length, 2_500);
  assert.equal(new Set(tokens).size, 2_500);
  const keySet = createLocalJWKSet({ keys: [key.publicJwk] });
  for (const index of [0, 1_249, 1_250, 2_499]) {
    const { payload } = await jwtVerify(tokens[index], keySet, { issuer: claims.issuer, audience: claims.audience });
    assert.equal(payload.sub, `user-${index}`);
  }
});
