// Every failure of the certificate authority carries a stable code (ERR_SPIFFE_ID_INVALID,
// ERR_CSR_SIGNATURE_INVALID, …) so the CLI, an HTTP issuing API and tests branch on the code,
// never on the message.

export class PkiError extends Error {
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.name = 'PkiError';
    this.code = code;
  }
}
