// The result of authentication: the one object every stage after `authenticate` reads.
// Nothing after authentication re-parses the token (DESIGN.md).

export interface Identity {
  issuer: string;
  subject: string;
  /** Istio's request principal: `${iss}/${sub}`. */
  principal: string;
  audiences: string[];
  claims: Readonly<Record<string, unknown>>;
  providerId: string;
  /** `jwt` for a verified JWT; later: `api_token`, `opaque` (phantom-token exchange). */
  tokenKind: 'jwt';
  /** Seconds since epoch; the verified-token cache is valid until then. */
  expiresAt?: number;
}
