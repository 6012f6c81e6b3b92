// Which JWS algorithm goes with which kind of key (RFC 7518 §3.1). `token mint` uses it to pick
// a default algorithm and to refuse an algorithm the key cannot honestly produce — the same
// key/algorithm agreement the gateway enforces when it verifies (no RSA→HMAC confusion).
import type { JWK } from 'jose';

interface KeyShape {
  kty: 'RSA' | 'EC' | 'OKP' | 'oct';
  /** For EC and OKP keys, the curves that may sign with this algorithm. */
  curves?: string[];
}

const KEY_SHAPE_BY_ALGORITHM: Record<string, KeyShape> = {
  RS256: { kty: 'RSA' },
  RS384: { kty: 'RSA' },
  RS512: { kty: 'RSA' },
  PS256: { kty: 'RSA' },
  PS384: { kty: 'RSA' },
  PS512: { kty: 'RSA' },
  ES256: { kty: 'EC', curves: ['P-256'] },
  ES384: { kty: 'EC', curves: ['P-384'] },
  ES512: { kty: 'EC', curves: ['P-521'] },
  EdDSA: { kty: 'OKP', curves: ['Ed25519', 'Ed448'] },
  HS256: { kty: 'oct' },
  HS384: { kty: 'oct' },
  HS512: { kty: 'oct' },
};

export const SIGNING_ALGORITHMS = Object.keys(KEY_SHAPE_BY_ALGORITHM);

export function isKnownSigningAlgorithm(alg: string): boolean {
  return Object.hasOwn(KEY_SHAPE_BY_ALGORITHM, alg);
}

export function algorithmFitsKey(alg: string, jwk: JWK): boolean {
  const shape = KEY_SHAPE_BY_ALGORITHM[alg];
  if (!shape || shape.kty !== jwk.kty) return false;
  return !shape.curves || (jwk.crv !== undefined && shape.curves.includes(jwk.crv));
}

/** The algorithm a key implies when none is given: its own `alg`, else the usual one for its type. */
export function defaultAlgorithmForKey(jwk: JWK): string | undefined {
  if (jwk.alg) return jwk.alg;
  if (jwk.kty === 'RSA') return 'RS256';
  if (jwk.kty === 'oct') return 'HS256';
  return SIGNING_ALGORITHMS.find((alg) => KEY_SHAPE_BY_ALGORITHM[alg].curves && algorithmFitsKey(alg, jwk));
}

/** A JWK can sign only if it holds the private part: `d` for RSA/EC/OKP, `k` for a shared secret. */
export function isPrivateKey(jwk: JWK): boolean {
  return jwk.kty === 'oct' ? typeof jwk.k === 'string' : typeof jwk.d === 'string';
}
