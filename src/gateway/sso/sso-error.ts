// Failures of the browser login, with stable codes (logged; pages show a short text only).
export type SsoErrorCode =
  | 'sso_cookie_invalid'      // a sealed cookie did not decrypt or had the wrong purpose (tampered, removed key)
  | 'sso_cookie_expired'      // a sealed cookie outlived the expiry sealed into it
  | 'sso_discovery_failed'    // the issuer's metadata could not be loaded
  | 'sso_token_request_failed' // the token endpoint refused or did not answer
  | 'sso_revocation_failed'   // the revocation endpoint refused or did not answer (logout goes on)
  | 'sso_id_token_invalid';   // the ID token failed verification (signature, iss, aud, nonce, exp)

export class SsoError extends Error {
  readonly code: SsoErrorCode;

  constructor(code: SsoErrorCode, message: string = code) {
    super(message);
    this.name = 'SsoError';
    this.code = code;
  }
}
