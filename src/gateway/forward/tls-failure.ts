// Which connect errors are a failed TLS handshake with the upstream (as opposed to a refused or
// timed-out TCP connection): the service's certificate did not verify — untrusted, expired,
// revoked, the wrong identity — or the service refused ours (a TLS alert).
import { CLIENT_CERTIFICATE_UNAVAILABLE, PEER_IDENTITY_MISMATCH } from './upstream-connector.ts';

// OpenSSL X509_V_ERR_* names, as Node reports a failed chain verification (error.code).
const CERTIFICATE_VERIFY_CODES = new Set([
  'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'CERT_REVOKED', 'CERT_UNTRUSTED', 'CERT_REJECTED', 'CERT_SIGNATURE_FAILURE',
  'UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_GET_CRL', 'CRL_HAS_EXPIRED', 'CRL_NOT_YET_VALID',
  'CRL_SIGNATURE_FAILURE', 'INVALID_CA', 'INVALID_PURPOSE', 'HOSTNAME_MISMATCH',
  'ERR_TLS_CERT_ALTNAME_INVALID', PEER_IDENTITY_MISMATCH, CLIENT_CERTIFICATE_UNAVAILABLE,
]);

export function isTlsHandshakeFailure(error: Error): boolean {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  // ERR_SSL_*: OpenSSL errors and alerts from the peer (e.g. ..._ALERT_BAD_CERTIFICATE).
  return CERTIFICATE_VERIFY_CODES.has(code) || code.startsWith('ERR_SSL_');
}
