// Token verification through the authenticate engine, RS256 and ES256: cold (not in the
// verified-token cache: decode, signature, claims, identity, cache insert) against cached
// (the synchronous hit every repeat request of a session takes). A bare synchronous
// node:crypto.verify of the same token is printed as the floor a cold verify can approach.
import { createPublicKey, verify } from 'node:crypto';
import { compileAuthenticator } from '../../src/authn/authenticator.ts';
import { KeySetRegistry } from '../../src/authn/key-set-registry.ts';
import { VerifiedTokenCache } from '../../src/authn/verified-token-cache.ts';
import { BENCH_ALGORITHMS, generateSigningKey, mintToken } from '../tokens.ts';
import { measureAsync, measureSync, type MicroResult } from './measure-ns.ts';
import { MICRO_AUDIENCE, MICRO_ISSUER, microModel } from './model-fixture.ts';

const silentLogger = { info() {}, warn() {}, error() {} };

export async function run(): Promise<MicroResult[]> {
  const results: MicroResult[] = [];
  for (const alg of BENCH_ALGORITHMS) {
    const key = generateSigningKey(alg);
    const model = microModel({ routes: 1, policyRules: 0, jwks: JSON.stringify({ keys: [key.publicJwk] }) });
    const registry = new KeySetRegistry({ logger: silentLogger });
    await registry.whenLoaded(model.providers);
    const cache = new VerifiedTokenCache({ maxEntries: 10_000 });
    const authenticator = compileAuthenticator(model.providers, { requireToken: false, registry, cache });
    const claims = { issuer: MICRO_ISSUER, audience: MICRO_AUDIENCE, role: 'user', lifetimeSeconds: 3600 };
    const token = mintToken(key, claims, 'alice', Math.floor(Date.now() / 1000));
    const request = { headers: { authorization: `Bearer ${token}` }, query: '' };
    const first = await authenticator.authenticate(request);
    if (first.kind !== 'verified') throw new Error(`${alg} benchmark token was not verified: ${JSON.stringify(first)}`);

    results.push(
      await measureAsync(`verify ${alg}, cold (cache miss)`, async () => {
        cache.clear();
        await authenticator.authenticate(request);
      }),
    );
    await authenticator.authenticate(request);
    results.push(measureSync(`  floor: node:crypto.verify ${alg} alone`, verifySignatureOnly(token, key.publicJwk, alg)));
    results.push(measureSync(`verify ${alg}, cached (cache hit)`, () => authenticator.authenticate(request)));
    registry.retain([]);
  }
  return results;
}

/** RFC 7515 §5.2 step 8 alone: the signature over `header.payload`, nothing else. */
function verifySignatureOnly(token: string, jwk: Record<string, unknown>, alg: string): () => boolean {
  const lastDot = token.lastIndexOf('.');
  const signingInput = Buffer.from(token.slice(0, lastDot));
  const signature = Buffer.from(token.slice(lastDot + 1), 'base64url');
  const publicKey = createPublicKey({ key: jwk as never, format: 'jwk' });
  const keyOptions = alg === 'ES256' ? { key: publicKey, dsaEncoding: 'ieee-p1363' as const } : publicKey;
  return () => verify('sha256', signingInput, keyOptions, signature);
}
