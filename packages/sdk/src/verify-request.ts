// Verifies what reaches a service behind Gatehouse: the gateway's internal token (an ES256 JWT
// whose audience is this one service, checked against the gateway's JWKS), or — only when the
// service says which connections it trusts — the payload header the gateway forwards.
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { createRemoteJWKSet, errors as joseErrors, jwtVerify } from 'jose';
import { GatehouseAuthError } from './errors.ts';
import { identityFromInternalToken, type GatehouseIdentity } from './identity.ts';
import { identityFromTrustedPayload, type TrustPayloadHeaderOptions } from './payload-header.ts';

export interface VerifyRequestOptions {
  /** The gateway's JWKS, e.g. `http://gatehouse-admin:9901/.well-known/jwks.json`. */
  jwksUrl: string | URL;
  /** The GatewayIdentity issuer (`iss` of internal tokens). */
  issuer: string;
  /** This service's audience (the Backend's `internalToken.audience`, default its name). */
  audience: string;
  /** Request header of the internal token (default x-gatehouse-token). */
  header?: string;
  /** Pinned algorithms (default ['ES256'], what the gateway signs with). */
  algorithms?: string[];
  /** Allowed clock difference in seconds (default 5). */
  clockToleranceSeconds?: number;
  /** Accept the gateway's payload header when no internal token is present — only on
   * connections `when` trusts (default: a TLS client certificate the server verified). */
  trustPayloadHeader?: TrustPayloadHeaderOptions;
}

/** A request as every supported framework exposes it underneath (node:http IncomingMessage). */
export type VerifiableRequest = Pick<IncomingMessage, 'headers'> & { socket?: IncomingMessage['socket'] | TLSSocket };

export type RequestVerifier = (req: VerifiableRequest) => Promise<GatehouseIdentity>;

const DEFAULT_HEADER = 'x-gatehouse-token';
/** One key set per JWKS URL, process-wide: jose caches keys and refetches on an unknown kid. */
const keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

/** Builds a verifier once (options checked here, not per request). */
export function createRequestVerifier(options: VerifyRequestOptions): RequestVerifier {
  if (!options.jwksUrl || !options.issuer || !options.audience) {
    throw new TypeError('createRequestVerifier needs jwksUrl, issuer and audience');
  }
  const jwksUrl = new URL(options.jwksUrl);
  let keySet = keySets.get(jwksUrl.href);
  if (keySet === undefined) {
    keySet = createRemoteJWKSet(jwksUrl);
    keySets.set(jwksUrl.href, keySet);
  }
  const header = (options.header ?? DEFAULT_HEADER).toLowerCase();
  const verifyOptions = {
    issuer: options.issuer,
    audience: options.audience,
    algorithms: options.algorithms ?? ['ES256'],
    clockTolerance: options.clockToleranceSeconds ?? 5,
    requiredClaims: ['exp', 'iat'],
  };
  const resolvedKeySet = keySet;
  const trustPayloadHeader = options.trustPayloadHeader;
  return async (req) => {
    const token = headerValue(req.headers, header);
    if (token === undefined) {
      if (trustPayloadHeader !== undefined) return identityFromTrustedPayload(req, trustPayloadHeader);
      throw new GatehouseAuthError('ERR_GATEHOUSE_TOKEN_MISSING', `no ${header} header: the request did not come through the gateway`);
    }
    try {
      const { payload } = await jwtVerify(token, resolvedKeySet, verifyOptions);
      return identityFromInternalToken(payload);
    } catch (error) {
      throw toGatehouseError(error);
    }
  };
}

/** One-call form; the JWKS is still fetched once per URL and cached. */
export function verifyRequest(req: VerifiableRequest, options: VerifyRequestOptions): Promise<GatehouseIdentity> {
  return createRequestVerifier(options)(req);
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  const text = Array.isArray(value) ? value[0] : value;
  return text === undefined || text === '' ? undefined : text;
}

function toGatehouseError(error: unknown): GatehouseAuthError {
  if (error instanceof joseErrors.JWTExpired) return new GatehouseAuthError('ERR_GATEHOUSE_TOKEN_EXPIRED', 'the internal token is expired', { cause: error });
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    if (error.claim === 'iss') return new GatehouseAuthError('ERR_GATEHOUSE_ISSUER_MISMATCH', 'the internal token was issued by another issuer', { cause: error });
    if (error.claim === 'aud') return new GatehouseAuthError('ERR_GATEHOUSE_AUDIENCE_MISMATCH', 'the internal token is for another service', { cause: error });
    return new GatehouseAuthError('ERR_GATEHOUSE_TOKEN_INVALID', `the internal token's ${error.claim} claim is invalid`, { cause: error });
  }
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return new GatehouseAuthError('ERR_GATEHOUSE_ALGORITHM_NOT_ALLOWED', 'the internal token uses an algorithm that is not allowed', { cause: error });
  if (error instanceof joseErrors.JWSSignatureVerificationFailed || error instanceof joseErrors.JWKSNoMatchingKey || error instanceof joseErrors.JWKSMultipleMatchingKeys) {
    return new GatehouseAuthError('ERR_GATEHOUSE_SIGNATURE_INVALID', 'the internal token is not signed by the gateway', { cause: error });
  }
  // The base JOSEError (no subclass) is what jose throws for a JWKS answer other than 200 OK.
  const jwksFailure = error instanceof joseErrors.JWKSTimeout || error instanceof joseErrors.JWKSInvalid || error?.constructor === joseErrors.JOSEError;
  if (jwksFailure || !(error instanceof joseErrors.JOSEError)) {
    return new GatehouseAuthError('ERR_GATEHOUSE_JWKS_UNAVAILABLE', "the gateway's JWKS could not be fetched", { cause: error });
  }
  return new GatehouseAuthError('ERR_GATEHOUSE_TOKEN_INVALID', 'the internal token is malformed', { cause: error });
}
