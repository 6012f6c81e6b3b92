// One signing key: generated in the configured algorithm, named by its RFC 7638 thumbprint, its
// private half sealed with the KEK before it reaches the store.
import { generateKeyPair as generateNodeKeyPair } from 'node:crypto';
import { promisify } from 'node:util';
import { calculateJwkThumbprint, type JWK } from 'jose';
import type { JsonObject, SigningKeyRecord } from '../../store/identity-store.ts';
import { openSecret, sealSecret } from '../secret-box.ts';
import type { SigningAlgorithm } from '../identity-config.ts';

const generate = promisify(generateNodeKeyPair);

async function newKeyPair(algorithm: SigningAlgorithm) {
  // RFC 7518 §3.3: RSA keys of 2048 bits or more; §3.4: P-256 for ES256; RFC 8037: Ed25519 for EdDSA.
  if (algorithm === 'RS256') return generate('rsa', { modulusLength: 2048 });
  if (algorithm === 'ES256') return generate('ec', { namedCurve: 'P-256' });
  return generate('ed25519', undefined);
}

export async function generateSigningKey(algorithm: SigningAlgorithm, kek: Buffer, now: number): Promise<SigningKeyRecord> {
  const { privateKey } = await newKeyPair(algorithm);
  const privateJwk = privateKey.export({ format: 'jwk' }) as JWK;
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicPart } = privateJwk;
  const kid = await calculateJwkThumbprint(publicPart, 'sha256');
  const publicJwk = { ...publicPart, kid, alg: algorithm, use: 'sig' };
  return {
    kid,
    alg: algorithm,
    publicJwk: publicJwk as JsonObject,
    encryptedPrivateJwk: sealSecret(kek, JSON.stringify({ ...privateJwk, kid, alg: algorithm, use: 'sig' })),
    state: 'next',
    createdAt: now,
    activatedAt: undefined,
    retiredAt: undefined,
    removeAfter: undefined,
  };
}

/** The private JWK of a stored key; throws SecretBoxError under a different KEK. */
export function openPrivateJwk(record: SigningKeyRecord, kek: Buffer): JWK {
  return JSON.parse(openSecret(kek, record.encryptedPrivateJwk)) as JWK;
}
