// The ES256 key the gateway signs internal tokens with. Process-wide, so a reload does not
// change the key: either generated once at start, or read from the GatewayIdentity's
// `signingKeyFile` (several instances behind one load balancer then publish and use one key).
// The JWKS keeps the previous key too, so tokens signed just before a key change still verify
// for the few seconds they live (RFC 7517 §5: a set may hold several keys, told apart by kid).
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import type { JsonWebKey, KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';

export interface PublicSigningJwk {
  kty: 'EC';
  crv: 'P-256';
  x: string;
  y: string;
  kid: string;
  alg: 'ES256';
  use: 'sig';
}

export interface SigningKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly publicJwk: PublicSigningJwk;
}

export class GatewaySigningKeys {
  private generated: SigningKey | undefined;
  private current: SigningKey | undefined;
  private previous: SigningKey | undefined;

  /** The key a generation signs with; throws (failing that load or reload) on an unusable file. */
  keyFor(signingKeyFile: string | undefined): SigningKey {
    const key = signingKeyFile === undefined ? (this.generated ??= generateSigningKey()) : loadSigningKey(signingKeyFile);
    if (this.current?.kid !== key.kid) {
      this.previous = this.current;
      this.current = key;
    }
    return this.current;
  }

  /** RFC 7517 §5 JWK Set of the public keys: the one in use first, then the previous one. */
  jwks(): { keys: PublicSigningJwk[] } {
    const keys: PublicSigningJwk[] = [];
    if (this.current !== undefined) keys.push(this.current.publicJwk);
    if (this.previous !== undefined) keys.push(this.previous.publicJwk);
    return { keys };
  }
}

function generateSigningKey(): SigningKey {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return signingKeyOf(privateKey, undefined);
}

/** A private EC P-256 JWK, or a JWK Set whose first key has a private part. */
export function loadSigningKey(path: string): SigningKey {
  let document: unknown;
  try {
    document = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`GatewayIdentity signingKeyFile ${path}: not readable JSON (${(error as Error).name})`);
  }
  const candidates = Array.isArray((document as { keys?: unknown }).keys) ? (document as { keys: unknown[] }).keys : [document];
  const jwk = candidates.find((key): key is JsonWebKey & { kid?: string } => typeof key === 'object' && key !== null && 'd' in key);
  if (jwk === undefined || jwk.kty !== 'EC' || jwk.crv !== 'P-256') {
    // Never echo the file's content: it holds a private key.
    throw new Error(`GatewayIdentity signingKeyFile ${path}: needs a private EC P-256 JWK (kty "EC", crv "P-256", with "d") for ES256`);
  }
  return signingKeyOf(createPrivateKey({ key: jwk, format: 'jwk' }), typeof jwk.kid === 'string' ? jwk.kid : undefined);
}

function signingKeyOf(privateKey: KeyObject, kid: string | undefined): SigningKey {
  const { x, y } = createPublicKey(privateKey).export({ format: 'jwk' });
  if (typeof x !== 'string' || typeof y !== 'string') throw new Error('EC public key export did not yield x and y');
  const keyId = kid ?? thumbprint(x, y);
  return { kid: keyId, privateKey, publicJwk: { kty: 'EC', crv: 'P-256', x, y, kid: keyId, alg: 'ES256', use: 'sig' } };
}

/** RFC 7638 §3.2: SHA-256 over the required members in lexicographic order, base64url. */
function thumbprint(x: string, y: string): string {
  return createHash('sha256').update(`{"crv":"P-256","kty":"EC","x":"${x}","y":"${y}"}`).digest('base64url');
}
