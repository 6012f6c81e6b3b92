// A renewal that changes the workload's key (as Istio and SPIRE agents rotate keys on every
// renewal) must show that the holder of the *current* key asked for it: a compact JWS (RFC 7515)
// signed by the current certificate's key over the SHA-256 of the new CSR and a timestamp.
// Replaying it yields a certificate only for the new key, which the replayer does not hold.
import { createHash, type X509Certificate } from 'node:crypto';
import { compactVerify } from 'jose';
import { PkiError } from './pki-error.ts';
import { x509 } from './x509-crypto.ts';

/** How far the proof's `iat` may be from the CA's clock. */
export const PROOF_MAX_AGE_SECONDS = 300;
const PROOF_ALGORITHMS = ['ES256', 'ES384', 'RS256', 'PS256'];

/** base64url(SHA-256(CSR DER)): what the proof signs, so it covers exactly this request. */
export function csrDigest(csrPem: string): string {
  const der = Buffer.from(new x509.Pkcs10CertificateRequest(csrPem).rawData);
  return createHash('sha256').update(der).digest('base64url');
}

export async function verifyRenewalProof(proof: string, current: X509Certificate, csrPem: string, now = new Date()): Promise<void> {
  const refused = (why: string) => new PkiError('ERR_CA_RENEWAL_PROOF_INVALID', `the renewal proof ${why}`);
  let payload: { csr?: unknown; iat?: unknown };
  try {
    const verified = await compactVerify(proof, current.publicKey, { algorithms: PROOF_ALGORITHMS });
    payload = JSON.parse(new TextDecoder().decode(verified.payload)) as typeof payload;
  } catch {
    throw refused('is not a JWS signed by the key of the presented certificate');
  }
  if (payload.csr !== csrDigest(csrPem)) throw refused('was made for another CSR');
  if (typeof payload.iat !== 'number' || Math.abs(payload.iat - now.getTime() / 1000) > PROOF_MAX_AGE_SECONDS) {
    throw refused(`is older than ${PROOF_MAX_AGE_SECONDS} s (or its iat is missing)`);
  }
}
