// Every failure the SDK reports is a GatehouseAuthError with a stable `code` (branch on it, never
// on the message, as with jose's ERR_JWT_* codes) and the HTTP status a service should answer.

export const ERROR_STATUS = {
  /** No internal token (and no trusted payload header) on the request. */
  ERR_GATEHOUSE_TOKEN_MISSING: 401,
  /** Not a well-formed JWT, or required claims are missing or malformed. */
  ERR_GATEHOUSE_TOKEN_INVALID: 401,
  ERR_GATEHOUSE_TOKEN_EXPIRED: 401,
  /** Signed by no key of the gateway's JWKS (forged, tampered or from another gateway). */
  ERR_GATEHOUSE_SIGNATURE_INVALID: 401,
  ERR_GATEHOUSE_ALGORITHM_NOT_ALLOWED: 401,
  ERR_GATEHOUSE_ISSUER_MISMATCH: 401,
  /** A token the gateway minted for another service (RFC 7519 §4.1.3). */
  ERR_GATEHOUSE_AUDIENCE_MISMATCH: 401,
  /** A payload header on a connection the service does not trust (e.g. not mTLS from the gateway). */
  ERR_GATEHOUSE_PAYLOAD_UNTRUSTED: 401,
  /** The gateway's JWKS could not be fetched: the service cannot verify anything right now. */
  ERR_GATEHOUSE_JWKS_UNAVAILABLE: 503,
  /** RFC 6750 §3.1 insufficient_scope. */
  ERR_GATEHOUSE_INSUFFICIENT_SCOPE: 403,
  ERR_GATEHOUSE_INSUFFICIENT_ROLE: 403,
} as const;

export type GatehouseErrorCode = keyof typeof ERROR_STATUS;

export class GatehouseAuthError extends Error {
  readonly code: GatehouseErrorCode;
  readonly status: number;
  /** For 403s: what the resource needs (RFC 6750 §3 `scope` attribute, or the roles). */
  readonly required?: readonly string[];

  constructor(code: GatehouseErrorCode, message: string, options: { required?: readonly string[]; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'GatehouseAuthError';
    this.code = code;
    this.status = ERROR_STATUS[code];
    if (options.required !== undefined) this.required = options.required;
  }
}

/** A token endpoint refused or failed a client-credentials request (RFC 6749 §5.2). */
export class ClientCredentialsError extends Error {
  readonly code = 'ERR_GATEHOUSE_TOKEN_ENDPOINT';
  /** HTTP status of the token endpoint's answer; 0 when it could not be reached. */
  readonly status: number;
  /** The OAuth `error` member, e.g. "invalid_client", when the endpoint sent one. */
  readonly oauthError?: string;

  constructor(message: string, status: number, oauthError?: string, cause?: unknown) {
    super(message, { cause });
    this.name = 'ClientCredentialsError';
    this.status = status;
    if (oauthError !== undefined) this.oauthError = oauthError;
  }
}
