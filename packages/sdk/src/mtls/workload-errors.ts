// Failures of the SDK's workload certificate and mTLS helpers, with stable codes like
// GatehouseAuthError's: branch on `code`, never on the message.

export type WorkloadErrorCode =
  /** The CA endpoint did not answer. */
  | 'ERR_GATEHOUSE_CA_UNREACHABLE'
  /** The CA answered with an error; `caError` holds its code (ERR_JOIN_TOKEN_INVALID, …). */
  | 'ERR_GATEHOUSE_CA_REFUSED'
  /** Certificate, key, bundle or CRL files are missing, unreadable or do not match. */
  | 'ERR_GATEHOUSE_WORKLOAD_FILES'
  /** No usable certificate yet (the first request to the CA has not succeeded). */
  | 'ERR_GATEHOUSE_WORKLOAD_NOT_READY';

export class WorkloadCertificateError extends Error {
  readonly code: WorkloadErrorCode;
  readonly caError?: string;

  constructor(code: WorkloadErrorCode, message: string, options: { caError?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'WorkloadCertificateError';
    this.code = code;
    if (options.caError !== undefined) this.caError = options.caError;
  }
}
