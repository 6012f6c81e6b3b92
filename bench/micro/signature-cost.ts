// What one signature costs through jose (which verifies with WebCrypto, an async job on libuv's
// thread pool) against the same check elsewhere, RS256 and ES256 — so the distinct-token path
// can be judged against its floor (issue 7: "a signature per request"):
// - jose compactVerify with the KeyObject our key sets hold (jose converts it to a CryptoKey
//   once and keeps it in a WeakMap: the key is not re-imported per request);
// - jose with a CryptoKey imported up front;
// - jose with a key imported anew for each token — what reusing imported keys saves;
// - crypto.subtle.verify alone (WebCrypto without jose) and node:crypto.verify (synchronous);
// - jose with 16 and 64 verifications in flight, as 64 connections of distinct tokens make
//   them: ns/op is then wall time ÷ verifications, i.e. throughput, not latency.
import { createPublicKey, verify, webcrypto, type KeyObject } from 'node:crypto';
import { compactVerify } from 'jose';
import { BENCH_ALGORITHMS, generateSigningKey, mintToken, type BenchAlgorithm } from '../tokens.ts';
import { measureAsync, measureSync, type MicroResult } from './measure-ns.ts';

const CLAIMS = { issuer: 'https://issuer.micro.test', audience: 'micro-api', role: 'user', lifetimeSeconds: 3600 };
type ImportParams = Parameters<KeyObject['toCryptoKey']>[0];
type VerifyParams = Parameters<typeof webcrypto.subtle.verify>[0];
const WEBCRYPTO_PARAMS: Record<BenchAlgorithm, { import: ImportParams; verify: VerifyParams }> = {
  RS256: { import: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, verify: { name: 'RSASSA-PKCS1-v1_5' } },
  ES256: { import: { name: 'ECDSA', namedCurve: 'P-256' }, verify: { name: 'ECDSA', hash: 'SHA-256' } },
};

export async function run(): Promise<MicroResult[]> {
  const results: MicroResult[] = [];
  for (const alg of BENCH_ALGORITHMS) {
    const key = generateSigningKey(alg);
    const token = mintToken(key, CLAIMS, 'alice', Math.floor(Date.now() / 1000));
    const keyObject: KeyObject = createPublicKey({ key: key.publicJwk as never, format: 'jwk' });
    const params = WEBCRYPTO_PARAMS[alg];
    const cryptoKey = keyObject.toCryptoKey(params.import, false, ['verify']);
    const options = { algorithms: [alg] };
    const lastDot = token.lastIndexOf('.');
    const signingInput = Buffer.from(token.slice(0, lastDot));
    const signature = Buffer.from(token.slice(lastDot + 1), 'base64url');

    results.push(await measureAsync(`jose ${alg}, KeyObject (as the gateway)`, () => compactVerify(token, keyObject, options)));
    results.push(await measureAsync(`jose ${alg}, CryptoKey imported once`, () => compactVerify(token, cryptoKey, options)));
    results.push(
      await measureAsync(`jose ${alg}, key re-imported per token`, () => compactVerify(token, createPublicKey({ key: key.publicJwk as never, format: 'jwk' }), options)),
    );
    results.push(await measureAsync(`  subtle.verify ${alg} alone`, () => webcrypto.subtle.verify(params.verify, cryptoKey, signature, signingInput)));
    const keyOptions = alg === 'ES256' ? { key: keyObject, dsaEncoding: 'ieee-p1363' as const } : keyObject;
    results.push(measureSync(`  node:crypto.verify ${alg} (sync)`, () => verify('sha256', signingInput, keyOptions, signature)));
    for (const inFlight of [16, 64]) {
      const batch = Array.from({ length: inFlight });
      const result = await measureAsync(`jose ${alg}, ${inFlight} in flight (per op)`, () => Promise.all(batch.map(() => compactVerify(token, keyObject, options))));
      results.push({ ...result, nsPerOp: result.nsPerOp / inFlight, operations: result.operations * inFlight });
    }
  }
  return results;
}
