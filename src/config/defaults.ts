// Every default the configuration applies, as data in one place (like oidc-provider's
// defaults.js): `gatehouse check` output and docs/configuration.md quote these values.
import type { TokenLocation } from '../model/gateway-model.ts';

/** Algorithms accepted when a provider pins none: every asymmetric JWS algorithm (RFC 7518 §3.1,
 * RFC 8037). HS* only with an explicit shared secret; `none` never. */
export const ASYMMETRIC_ALGORITHMS = [
  'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA',
] as const;
export const HMAC_ALGORITHMS = ['HS256', 'HS384', 'HS512'] as const;

export const DEFAULTS = {
  listener: {
    /** Bind address when a Gateway has no `spec.addresses`. */
    address: '0.0.0.0',
  },
  route: {
    /** Gateway API: a rule without matches matches every path. */
    path: { type: 'PathPrefix', value: '/' } as const,
    /** Gateway API: backendRefs[].weight defaults to 1. */
    backendWeight: 1,
    /** Gateway API: RequestRedirect.statusCode defaults to 302. */
    redirectStatusCode: 302 as const,
  },
  backend: {
    maxConnectFailures: 3,
    ejectionSeconds: 10,
    connectTimeoutMs: 2000,
  },
  jwt: {
    realm: 'gatehouse',
    clockSkewSeconds: 60,
    requireExp: true,
    /** Istio jwtRules[].timeout: "If not set, the default timeout is 5s". */
    jwksFetchTimeoutMs: 5000,
    jwksRefresh: { minSeconds: 30, maxSeconds: 3600, unknownKidCooldownSeconds: 30 },
    /** Istio: with no fromHeaders/fromParams/fromCookies, try `Authorization: Bearer <token>`,
     * then the `access_token` query parameter. */
    istioLocations: [
      { kind: 'header', name: 'authorization', prefix: 'Bearer ' },
      { kind: 'query', name: 'access_token' },
    ] as TokenLocation[],
    /** NGINX auth_jwt default: the `Authorization: Bearer <token>` header only. */
    nginxLocations: [{ kind: 'header', name: 'authorization', prefix: 'Bearer ' }] as TokenLocation[],
    /** NGINX auth_jwt checks `exp` only when a token carries one (seed 001's token has none);
     * annotate the Policy `gatehouse.dev/require-exp: "true"` to require it. */
    nginxRequireExp: false,
  },
  extAuthz: {
    timeoutMs: 1000,
    /** Istio's envoyExtAuthzHttp sends no headers unless listed; the credentials are what a
     * policy service almost always needs. */
    includeRequestHeadersInCheck: ['authorization', 'cookie'] as string[],
  },
  secret: {
    /** Key of an Opaque Secret holding an HMAC shared secret (JWTIssuer hmacSecretRef). */
    hmacKey: 'secret',
  },
  /** gatehouse.dev GatewayOptions: limits against abuse and shutdown (docs/traffic.md). */
  options: {
    limits: {
      /** Node's own default; NGINX large_client_header_buffers is 4 × 8k. */
      maxHeaderBytes: 16 * 1024,
      maxHeaderCount: 100,
      /** Far above any real JWT, far below maxHeaderBytes' worth of signature work. */
      maxTokenBytes: 8 * 1024,
      /** NGINX client_max_body_size is 1m; APIs behind a gateway often take uploads. */
      maxRequestBodyBytes: 10 * 1024 * 1024,
      headersTimeoutMs: 15_000,
      requestTimeoutMs: 60_000,
      keepAliveTimeoutMs: 5_000,
      maxConnections: 10_000,
      maxConcurrentRequests: 5_000,
    },
    /** Kubernetes waits terminationGracePeriodSeconds (30 s) before SIGKILL; finish before it. */
    drainTimeoutMs: 25_000,
  },
} as const;

/** Annotations Gatehouse reads on Istio RequestAuthentication and NGINX Policy resources. */
export const ANNOTATIONS = {
  realm: 'gatehouse.dev/realm',
  loginUrl: 'gatehouse.dev/login-url',
  /** "true" / "false": overrides whether tokens must carry `exp`. */
  requireExp: 'gatehouse.dev/require-exp',
  /** NGINX Ingress spelling of the login URL, accepted on NGINX Policy resources. */
  nginxLoginUrl: 'nginx.com/jwt-login-url',
} as const;
