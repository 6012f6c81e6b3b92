// A public key from a JWK Set, imported once, plus what RFC 7517 §4 says it may be used for.
// Keys are chosen by us from our own key set only: a token's `jwk`, `jku`, `x5u` or `x5c`
// header never names a key (RFC 8725 §3.10).
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';

export interface VerificationKey {
  kid?: string;
  kty: 'RSA' | 'EC' | 'OKP';
  /** EC / OKP curve name ("P-256", "Ed25519"). */
  crv?: string;
  /** RFC 7517 §4.4: when present, the only algorithm this key may verify. */
  alg?: string;
  key: KeyObject;
}

export interface ImportedKeySet {
  keys: VerificationKey[];
  /** Hash of the accepted keys: equal fingerprints mean nothing changed. */
  fingerprint: string;
  /** Keys left out (symmetric, encryption-only, unparseable), for one log line. */
  skipped: number;
}

/** Parse a JWK Set document (RFC 7517 §5); throws when the document itself is not one. */
export function importJwkSet(text: string): ImportedKeySet {
  const document = JSON.parse(text) as { keys?: unknown };
  if (typeof document !== 'object' || document === null || !Array.isArray(document.keys)) {
    throw new Error('not a JWK Set: "keys" array missing');
  }
  const keys: VerificationKey[] = [];
  const accepted: string[] = [];
  let skipped = 0;
  for (const jwk of document.keys as Record<string, unknown>[]) {
    const key = importVerificationKey(jwk);
    if (key === undefined) {
      skipped++;
      continue;
    }
    keys.push(key);
    accepted.push(JSON.stringify([key.kid, key.alg, key.key.export({ format: 'jwk' })]));
  }
  const fingerprint = createHash('sha256').update(accepted.sort().join('\n')).digest('base64url');
  return { keys, fingerprint, skipped };
}

function importVerificationKey(jwk: Record<string, unknown>): VerificationKey | undefined {
  if (typeof jwk !== 'object' || jwk === null) return undefined;
  const { kty, kid, alg, use, key_ops: keyOps, crv } = jwk;
  // Symmetric keys never come from a JWKS: HS* needs an explicitly configured secret.
  if (kty !== 'RSA' && kty !== 'EC' && kty !== 'OKP') return undefined;
  // RFC 7517 §4.2 / §4.3: a key published for encryption must not verify signatures.
  if (use !== undefined && use !== 'sig') return undefined;
  if (keyOps !== undefined && !(Array.isArray(keyOps) && keyOps.includes('verify'))) return undefined;
  if (alg !== undefined && typeof alg !== 'string') return undefined;
  try {
    // Only the public members: a published private key must not become usable for signing here.
    const publicJwk = kty === 'RSA' ? { kty, n: jwk.n, e: jwk.e } : kty === 'EC' ? { kty, crv, x: jwk.x, y: jwk.y } : { kty, crv, x: jwk.x };
    const key = createPublicKey({ key: publicJwk as import('node:crypto').JsonWebKey, format: 'jwk' });
    return { kid: typeof kid === 'string' ? kid : undefined, kty, crv: typeof crv === 'string' ? crv : undefined, alg, key };
  } catch {
    return undefined;
  }
}

const EC_CURVE_BY_ALG: Record<string, string> = { ES256: 'P-256', ES384: 'P-384', ES512: 'P-521' };

/** RFC 7518 §3.1: the key type (and curve) an algorithm needs; a mismatch is never tried. */
export function keyFitsAlgorithm(key: VerificationKey, alg: string): boolean {
  if (key.alg !== undefined && key.alg !== alg) return false;
  if (alg.startsWith('RS') || alg.startsWith('PS')) return key.kty === 'RSA';
  if (alg.startsWith('ES')) return key.kty === 'EC' && key.crv === EC_CURVE_BY_ALG[alg];
  if (alg === 'EdDSA' || alg === 'Ed25519') return key.kty === 'OKP' && (key.crv === 'Ed25519' || key.crv === 'Ed448');
  return false;
}
