// Verifying one token against one provider: header rules (pinned algorithms, no "none", no
// unknown `crit`), claims, then the signature with a key WE pick from our own key set —
// never from the token's `jwk`/`jku`/`x5u`/`x5c` headers (RFC 8725 §3.10).
import { compactVerify } from 'jose';
import type { JwtProvider } from '../model/gateway-model.ts';
import type { DecodedToken } from './decode-token.ts';
import { AuthnError, toAuthnError } from './errors.ts';
import type { KeySet } from './key-set.ts';
import { verifyClaims } from './verify-claims.ts';
import { keyFitsAlgorithm, type VerificationKey } from './verification-key.ts';

const HMAC_ALGORITHMS = ['HS256', 'HS384', 'HS512'];

export interface TokenVerifier {
  readonly provider: JwtProvider;
  readonly keySet: KeySet;
  readonly algorithms: ReadonlySet<string>;
  readonly hmacKeys: readonly Uint8Array[];
}

export function compileTokenVerifier(provider: JwtProvider, keySet: KeySet): TokenVerifier {
  const hasSecret = provider.hmacSecrets.length > 0;
  // HS* only with an explicitly configured secret (no RS→HS confusion, RFC 8725 §2.1); a
  // configured secret opts in to HS256/384/512 unless HS algorithms are pinned explicitly.
  const pinned = provider.algorithms.filter((alg) => alg !== 'none' && (hasSecret || !alg.startsWith('HS')));
  if (hasSecret && !pinned.some((alg) => alg.startsWith('HS'))) pinned.push(...HMAC_ALGORITHMS);
  return {
    provider,
    keySet,
    algorithms: new Set(pinned),
    hmacKeys: provider.hmacSecrets.map((secret) => new TextEncoder().encode(secret)),
  };
}

/** Resolves with the key-set version the signature was checked against; rejects with AuthnError. */
export async function verifyToken(verifier: TokenVerifier, token: string, decoded: DecodedToken, nowSeconds: number): Promise<number> {
  const { header, payload } = decoded;
  const alg = header.alg;
  if (typeof alg !== 'string' || !verifier.algorithms.has(alg)) throw new AuthnError('jwt_alg_not_allowed');
  // RFC 7515 §4.1.11: we understand no extension, so any `crit` must be rejected; `b64` (RFC 7797) changes
  // what the payload segment means, which a JWT never uses.
  if (header.crit !== undefined || header.b64 !== undefined) throw new AuthnError('jwt_header_invalid', 'Jwt header has unsupported critical parameters');
  const kid = header.kid;
  if (kid !== undefined && typeof kid !== 'string') throw new AuthnError('jwt_header_invalid', 'Jwt header kid is not a string');

  verifyClaims(verifier.provider, payload, nowSeconds);

  if (alg.startsWith('HS')) {
    await verifyWithAny(token, alg, verifier.hmacKeys);
    return verifier.keySet.version;
  }
  const keySet = verifier.keySet;
  if (!keySet.isLoaded) await keySet.whenLoaded();
  if (!keySet.isLoaded) throw new AuthnError('jwks_fetch_failed');
  if (kid !== undefined && !keySet.keys!.some((key) => key.kid === kid)) {
    // The issuer may have rotated since our last fetch; the key set rate-limits these refetches.
    await keySet.refreshForUnknownKid();
  }
  const version = keySet.version;
  const candidates = keySet.keys!.filter((key) => (kid === undefined || key.kid === kid) && keyFitsAlgorithm(key, alg));
  if (candidates.length === 0) throw new AuthnError('jwt_unknown_kid');
  await verifyWithAny(token, alg, candidates.map((key: VerificationKey) => key.key));
  return version;
}

/** Without a `kid` every fitting key is tried (as Envoy does); one good signature suffices. */
async function verifyWithAny(token: string, alg: string, keys: readonly Parameters<typeof compactVerify>[1][]): Promise<void> {
  // The error is built only on failure: constructing it up front would capture a stack trace
  // on every cold verification (visible in the benchmark's CPU profile).
  let failure: AuthnError | undefined;
  for (const key of keys) {
    try {
      await compactVerify(token, key, { algorithms: [alg] });
      return;
    } catch (error) {
      failure = toAuthnError(error);
    }
  }
  throw failure ?? new AuthnError('jwt_verification_failed');
}
