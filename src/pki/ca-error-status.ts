// The one place PKI error codes become HTTP statuses for the /ca/v1 endpoints.

const STATUS: Record<string, number> = {
  ERR_CA_CREDENTIAL_MISSING: 401,
  ERR_CA_TOKEN_INVALID: 401,
  ERR_JOIN_TOKEN_INVALID: 401,
  ERR_CA_CALLER_NOT_ALLOWED: 403,
  ERR_CA_CERTIFICATE_UNKNOWN: 403,
  ERR_CA_CERTIFICATE_REFUSED: 403,
  ERR_CA_RENEWAL_KEY_MISMATCH: 403,
  ERR_CA_RENEWAL_PROOF_INVALID: 403,
  ERR_CA_NOT_INITIALIZED: 503,
  ERR_CA_INTERMEDIATE_EXPIRED: 503,
  ERR_CA_KEY_LOCKED: 503,
};

/** Anything else a PkiError reports is about the request itself (bad CSR, SPIFFE ID, DNS name, TTL). */
export function caErrorStatus(code: string): number {
  return STATUS[code] ?? 400;
}
