// The public key a leaf certifies: from a workload's PKCS#10 request (RFC 2986), whose
// signature proves the requester holds the private key, or from a key pair the CA generates for
// the CLI case. With a CSR the private key never leaves the workload.
import { createPublicKey } from 'node:crypto';
import { PkiError } from './pki-error.ts';
import { x509, type CryptoKey } from './x509-crypto.ts';

const ACCEPTED_CURVES = new Set(['prime256v1', 'secp384r1']);
const MIN_RSA_BITS = 2048;

function parseCsr(csrPem: string): x509.Pkcs10CertificateRequest {
  try {
    return new x509.Pkcs10CertificateRequest(csrPem);
  } catch (error) {
    throw new PkiError('ERR_CSR_INVALID', `the certificate signing request cannot be parsed: ${(error as Error).message}`);
  }
}

// ECDSA P-256/P-384 or RSA of at least 2048 bits: what TLS peers accept and is not weak.
function checkKeyStrength(publicKey: x509.PublicKey): void {
  const key = createPublicKey({ key: Buffer.from(publicKey.rawData), format: 'der', type: 'spki' });
  const details = key.asymmetricKeyDetails ?? {};
  const accepted =
    (key.asymmetricKeyType === 'ec' && ACCEPTED_CURVES.has(details.namedCurve ?? '')) ||
    (key.asymmetricKeyType === 'rsa' && (details.modulusLength ?? 0) >= MIN_RSA_BITS);
  if (!accepted) {
    const described = key.asymmetricKeyType === 'ec' ? `EC ${details.namedCurve}` : `${key.asymmetricKeyType} ${details.modulusLength ?? ''}`.trim();
    throw new PkiError('ERR_CSR_KEY_UNSUPPORTED', `the request's key (${described}) is not accepted: use ECDSA P-256/P-384 or RSA ≥ 2048 bits`);
  }
}

/** Verifies the request's self-signature and returns the key it asks to certify. */
export async function publicKeyFromCsr(csrPem: string): Promise<x509.PublicKey> {
  const csr = parseCsr(csrPem);
  let signatureValid = false;
  try {
    signatureValid = await csr.verify();
  } catch {
    signatureValid = false;
  }
  if (!signatureValid) throw new PkiError('ERR_CSR_SIGNATURE_INVALID', 'the certificate signing request is not signed by the key it contains');
  checkKeyStrength(csr.publicKey);
  return csr.publicKey;
}

export function publicKeyFromCryptoKey(key: CryptoKey): Promise<x509.PublicKey> {
  return x509.PublicKey.create(key);
}
