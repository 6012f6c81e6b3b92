// Every rejection the gateway can produce, in one table: the stable reason code is shared by the
// response body, the access-log line and the `reason` label of the auth-failure metric.
// Messages for JWT failures use the words Envoy's jwt_authn filter uses, so operators who know
// Envoy/Istio recognise them.

export const REASONS = {
  // authentication (RFC 6750 §3: 401 + WWW-Authenticate)
  jwt_missing: { status: 401, message: 'Jwt is missing' },
  jwt_malformed: { status: 401, message: 'Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections' },
  jwt_too_large: { status: 401, message: 'Jwt is too large' },
  jwt_header_invalid: { status: 401, message: 'Jwt header is an invalid JSON or has unsupported fields' },
  jwt_alg_not_allowed: { status: 401, message: 'Jwt algorithm is not allowed' },
  jwt_expired: { status: 401, message: 'Jwt is expired' },
  jwt_not_yet_valid: { status: 401, message: 'Jwt not yet valid' },
  jwt_iat_in_future: { status: 401, message: 'Jwt issued-at time is in the future' },
  jwt_exp_missing: { status: 401, message: 'Jwt has no exp claim' },
  jwt_lifetime_too_long: { status: 401, message: 'Jwt lifetime exceeds the maximum allowed' },
  jwt_missing_claim: { status: 401, message: 'Jwt is missing a required claim' },
  jwt_issuer_not_configured: { status: 401, message: 'Jwt issuer is not configured' },
  jwt_audience_mismatch: { status: 401, message: 'Audiences in Jwt are not allowed' },
  jwt_unknown_kid: { status: 401, message: "Jwks doesn't have key to match kid or alg from Jwt" },
  jwt_verification_failed: { status: 401, message: 'Jwt verification fails' },
  jwks_fetch_failed: { status: 401, message: 'Jwks remote fetch is failed' },
  // revocation and phantom tokens (docs/revocation.md, docs/phantom-tokens.md)
  token_revoked: { status: 401, message: 'Token has been revoked' },
  api_token_malformed: { status: 401, message: 'API token is malformed' },
  token_exchange_rejected: { status: 401, message: 'Token was refused by the token exchange' },
  // The identity service did not answer (or refused the gateway itself): not the client's fault.
  token_exchange_unavailable: { status: 503, message: 'Token exchange is unavailable; retry later' },
  // authorization (filled in by the authorization stage)
  // The body says `forbidden` (the words Istio users grep for), the log and metric say rbac_denied.
  rbac_denied: { status: 403, error: 'forbidden', message: 'RBAC: access denied' },
  // request shape
  bad_request: { status: 400, message: 'Bad request' },
  path_invalid: { status: 400, message: 'Path is not allowed' },
  header_too_large: { status: 431, message: 'Request header fields too large' },
  request_timeout: { status: 408, message: 'Request timeout' },
  request_body_too_large: { status: 413, message: 'Request body too large' },
  // limits against abuse (GatewayOptions): too many requests in flight on this instance
  overloaded: { status: 503, message: 'Too many requests in flight; retry later' },
  route_not_found: { status: 404, message: 'No route matches the request' },
  // traffic policy (RFC 6585 §4; an NGINX Policy's rejectCode may set another status)
  rate_limited: { status: 429, message: 'Too many requests' },
  // upstream
  upstream_connect_failed: { status: 502, message: 'Upstream connection failed' },
  upstream_reset: { status: 502, message: 'Upstream reset the connection' },
  // Envoy's words for a failed upstream handshake; the detail (why) goes to the log only.
  upstream_tls_failed: { status: 502, message: 'Upstream TLS handshake failed' },
  no_healthy_upstream: { status: 503, message: 'No healthy upstream' },
  upstream_timeout: { status: 504, message: 'Upstream request timeout' },
  internal_error: { status: 500, message: 'Internal error' },
} as const satisfies Record<string, { status: number; message: string; error?: string }>;

export type ReasonCode = keyof typeof REASONS;

/** The `error` member of a response body: the reason code unless the table names another word. */
export function publicError(code: ReasonCode): string {
  const reason = REASONS[code];
  return 'error' in reason ? reason.error : code;
}

export function isAuthenticationReason(code: ReasonCode): boolean {
  return REASONS[code].status === 401;
}
