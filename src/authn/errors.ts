// Every authentication failure is an AuthnError whose `code` is a stable ReasonCode: the
// response, the access log and the metric label all read that code, never the message.
import type { ReasonCode } from '../gateway/reasons.ts';

export class AuthnError extends Error {
  readonly code: ReasonCode;
  /** A precise, token-free explanation (e.g. which claim is missing). */
  readonly detail?: string;

  constructor(code: ReasonCode, detail?: string) {
    super(detail ?? code);
    this.name = 'AuthnError';
    this.code = code;
    this.detail = detail;
  }
}

// jose error codes (jose/src/util/errors.ts) → our reasons. Claims are checked by
// verify-claims.ts, so only signature and header failures normally arrive here.
const JOSE_CODE_TO_REASON: Record<string, ReasonCode> = {
  ERR_JWT_EXPIRED: 'jwt_expired',
  ERR_JWS_SIGNATURE_VERIFICATION_FAILED: 'jwt_verification_failed',
  ERR_JOSE_ALG_NOT_ALLOWED: 'jwt_alg_not_allowed',
  ERR_JOSE_NOT_SUPPORTED: 'jwt_header_invalid',
  ERR_JWS_INVALID: 'jwt_malformed',
  ERR_JWT_INVALID: 'jwt_malformed',
  ERR_JWKS_NO_MATCHING_KEY: 'jwt_unknown_kid',
  ERR_JWKS_MULTIPLE_MATCHING_KEYS: 'jwt_unknown_kid',
  ERR_JWKS_TIMEOUT: 'jwks_fetch_failed',
};

const JOSE_CLAIM_TO_REASON: Record<string, ReasonCode> = {
  nbf: 'jwt_not_yet_valid',
  iat: 'jwt_iat_in_future',
  aud: 'jwt_audience_mismatch',
  iss: 'jwt_issuer_not_configured',
};

/** Map anything thrown while verifying to an AuthnError; unknown failures fail closed. */
export function toAuthnError(error: unknown): AuthnError {
  if (error instanceof AuthnError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED') {
    const claim = String((error as { claim?: unknown }).claim);
    return new AuthnError(JOSE_CLAIM_TO_REASON[claim] ?? 'jwt_missing_claim', `claim "${claim}" failed validation`);
  }
  if (typeof code === 'string' && code in JOSE_CODE_TO_REASON) return new AuthnError(JOSE_CODE_TO_REASON[code]);
  // A key jose refuses for this alg (TypeError: wrong key type / too short) is a verification failure.
  return new AuthnError('jwt_verification_failed');
}
