// The internal model: what every configuration format (Gateway API, Istio, NGINX, Gatehouse
// kinds) is translated into. Only src/config/formats/* know the YAML formats; everything after
// config (pipeline, authn, authz, CLI `check`) reads only these types. A model is plain,
// immutable data: no sockets, no timers, no compiled matchers (those live in a Generation).
import type { BrowserLogin } from './browser-login.ts';
import type { CorsPolicy } from './cors-policy.ts';
import type { GatewayOptions } from './gateway-options.ts';
import type { RateLimitPolicy } from './rate-limit.ts';
import type { RevocationFeedSettings } from './revocation-feed.ts';
import type { TokenExchangeSettings } from './token-exchange.ts';

/** Where a resource came from, so every message can name file, document and resource. */
export interface SourceRef {
  file: string;
  /** 0-based index of the YAML document within the file. */
  documentIndex: number;
  kind: string;
  name: string;
  namespace?: string;
}

export interface GatewayModel {
  listeners: Listener[];
  /** Flattened route rules, already sorted by Gateway API match precedence (first match wins). */
  routes: Route[];
  backends: Backend[];
  providers: JwtProvider[];
  /** Which providers apply to which routes (from RequestAuthentication / NGINX Policy targets). */
  authentications: Authentication[];
  /** Raw policy resources later stages compile (AuthorizationPolicy etc.); opaque to core. */
  policies: PolicyResource[];
  /** HTTP external authorization services, named by AuthorizationPolicy `action: CUSTOM`. */
  extAuthzProviders: ExtAuthzProvider[];
  /** RateLimitPolicy documents and NGINX `rateLimit` Policies (src/model/rate-limit.ts). */
  rateLimits: RateLimitPolicy[];
  /** Limits against abuse and shutdown (gatehouse.dev GatewayOptions), defaults applied. */
  options: GatewayOptions;
  /** Non-fatal notes for `gatehouse check` (e.g. an ignored Kubernetes field). */
  warnings: string[];
  /** The gateway's own issuer for internal tokens (kind GatewayIdentity); absent = none configured. */
  gatewayIdentity?: GatewayIdentity;
  /** Opaque tokens swapped for JWTs on the routes they target (kind TokenExchange, docs/phantom-tokens.md). */
  tokenExchanges?: TokenExchangeSettings[];
  /** Where revocations are heard (kind RevocationFeed, docs/revocation.md); absent = none. */
  revocationFeed?: RevocationFeedSettings;
  /** Browser single sign-on (kind BrowserLogin, docs/sso.md); absent = none configured. */
  browserLogins?: BrowserLogin[];
}

/** Who the gateway is when it signs internal tokens for its backends (docs/internal-tokens.md). */
export interface GatewayIdentity {
  /** `iss` of every internal token. */
  issuer: string;
  /** Private EC P-256 JWK file shared by several instances; absent = a key generated at start. */
  signingKeyFile?: string;
  /** Lifetime of an internal token (default 60 s). */
  tokenLifetimeSeconds: number;
}

/** Backend `spec.internalToken`: forward a gateway-signed JWT whose `aud` is this one service. */
export interface InternalTokenSettings {
  audience: string;
  /** Lower-case request header carrying the token (default x-gatehouse-token). */
  header: string;
  /** `alongside` keeps the authenticator's identity headers; `replace` sends only the token. */
  mode: 'alongside' | 'replace';
}

export interface Listener {
  /** `${gatewayName}/${listenerName}` */
  id: string;
  gateway: string;
  name: string;
  address: string; // default "0.0.0.0"
  port: number;
  protocol: 'HTTP' | 'HTTPS';
  /** PEM strings resolved from the referenced kubernetes.io/tls Secret. */
  tls?: { certificatePem: string; privateKeyPem: string };
  /** Instead of `tls`: a certificate the gateway requests from the directory CA and renews. */
  caCertificate?: ListenerCaCertificate;
  /** Gateway listener hostname, if set (routes attach only when hostnames intersect). */
  hostname?: string;
  /** Client certificates at the edge (Gateway API tls.frontendValidation); see ClientValidation. */
  clientValidation?: ClientValidation;
  source: SourceRef;
}

/** A listener certificate issued by the directory CA (src/config/formats/listener-ca-certificate.ts). */
export interface ListenerCaCertificate {
  dir: string;
  spiffeId: string;
  dnsNames: string[];
  ttlSeconds?: number;
}

/** Which client certificates an HTTPS listener asks for and trusts (docs/mtls.md). */
export interface ClientValidation {
  /** PEM roots a client certificate must chain to. */
  caBundlePem: string;
  /** PEM CRLs (one entry per CRL); a listed client certificate is refused at the handshake. */
  crlPems: string[];
  /** Gateway API FrontendValidationMode: AllowValidOnly refuses a client without a valid
   * certificate at the handshake; AllowInsecureFallback lets it in with no peer identity. */
  mode: 'AllowValidOnly' | 'AllowInsecureFallback';
}

export type PathMatch =
  | { type: 'PathPrefix'; value: string }
  | { type: 'Exact'; value: string }
  | { type: 'RegularExpression'; value: string };

export interface HeaderMatch { type: 'Exact' | 'RegularExpression'; name: string; value: string }
export interface QueryParamMatch { type: 'Exact' | 'RegularExpression'; name: string; value: string }

export interface RouteMatch {
  path: PathMatch; // default PathPrefix "/"
  method?: string;
  headers: HeaderMatch[];
  queryParams: QueryParamMatch[];
}

export interface HeaderModifier {
  set: { name: string; value: string }[];
  add: { name: string; value: string }[];
  remove: string[];
}

export type RouteFilter =
  | { type: 'RequestHeaderModifier'; modifier: HeaderModifier }
  | { type: 'ResponseHeaderModifier'; modifier: HeaderModifier }
  | {
      type: 'URLRewrite';
      hostname?: string;
      path?: { type: 'ReplacePrefixMatch'; value: string } | { type: 'ReplaceFullPath'; value: string };
    }
  | {
      type: 'RequestRedirect';
      scheme?: 'http' | 'https';
      hostname?: string;
      port?: number;
      statusCode: 301 | 302 | 303 | 307 | 308;
      path?: { type: 'ReplacePrefixMatch'; value: string } | { type: 'ReplaceFullPath'; value: string };
    }
  | { type: 'CORS'; cors: CorsPolicy };

export interface WeightedBackend { backend: string; weight: number }

/** One (HTTPRoute, rule, match) triple: the unit the router matches. */
export interface Route {
  /** Stable id: `${namespace}/${routeName}/rule-${i}/match-${j}` — used in logs and metrics. */
  id: string;
  routeName: string;
  /** Gateways (and optional listener sectionName) this route attaches to. Empty = every
   * listener (NGINX VirtualServer routes, HTTPRoutes without parentRefs). */
  parents: { gateway: string; sectionName?: string; port?: number }[];
  /** Exact `api.example.com` or wildcard `*.example.com`; empty = any host. */
  hostnames: string[];
  match: RouteMatch;
  filters: RouteFilter[];
  /** Empty when the rule only redirects; otherwise weighted backends. */
  backends: WeightedBackend[];
  /** Gateway API `timeouts.request`, in milliseconds; undefined = gateway default; 0 ("0s") =
   * no timeout (Gateway API: a zero duration disables the timeout). */
  timeoutMs?: number;
  source: SourceRef;
}

export interface Backend {
  name: string;
  endpoints: { url: string }[];
  /** Passive health: eject after this many consecutive connect failures (default 3). */
  maxConnectFailures: number;
  /** How long an ejected endpoint stays out before it is tried again (default 10 s). */
  ejectionMs: number;
  /** Per-try connect timeout (default 2 s). */
  connectTimeoutMs: number;
  /** How https:// endpoints are verified, and the client certificate the gateway presents. */
  tls?: BackendTls;
  internalToken?: InternalTokenSettings;
  source: SourceRef;
}

export interface TokenLocation {
  kind: 'header' | 'query' | 'cookie';
  /** Header name (lower-case), query parameter or cookie name. */
  name: string;
  /** Header value prefix stripped before the token, e.g. "Bearer " (matched case-insensitively). */
  prefix?: string;
}

export type KeySource =
  | { kind: 'remote'; uri: string; timeoutMs: number }
  | { kind: 'inline'; jwks: string } // JSON text of a JWK set (Istio `jwks`, NGINX Secret)
  | { kind: 'file'; path: string }
  | { kind: 'discovery'; issuer: string; timeoutMs: number };

/** One verified issuer: an Istio jwtRule merged with Gatehouse's extras for that issuer. */
export interface JwtProvider {
  /** Stable id: `${resourceKind}/${resourceName}#${ruleIndex}`. */
  id: string;
  /** Exact `iss` to accept. '*' accepts any `iss` (NGINX JWT policies name no issuer); a
   * provider with an exact issuer is always preferred over a '*' provider. */
  issuer: string;
  /** Empty = no audience check (Istio semantics); non-empty = token `aud` must contain one. */
  audiences: string[];
  keys: KeySource;
  /** Shared secrets for HS256/384/512 — only when explicitly configured for this issuer. */
  hmacSecrets: string[];
  /** Pinned algorithms. Default: every asymmetric algorithm; never "none". */
  algorithms: string[];
  /** Resolved token locations, in the order they are tried (Istio defaults applied). */
  locations: TokenLocation[];
  outputPayloadToHeader?: string;
  outputClaimToHeaders: { header: string; claim: string }[];
  forwardOriginalToken: boolean;
  /** RFC 6750 realm for WWW-Authenticate. */
  realm: string;
  /** Browser (Accept: text/html) failures redirect here, with the original URL appended. */
  loginUrl?: string;
  clockSkewSeconds: number; // default 60
  requireExp: boolean; // default true
  requiredClaims: string[];
  maxTokenLifetimeSeconds?: number;
  /** Background JWKS refresh bounds (Cache-Control max-age is clamped into them). */
  jwksRefresh: { minSeconds: number; maxSeconds: number; unknownKidCooldownSeconds: number };
  source: SourceRef;
}

/** Gateway: routes whose parents name it. HTTPRoute and VirtualServer: routes whose
 * `routeName` equals `name` (a VirtualServer route with its own policies has routeName
 * `${virtualServer}:${path}`, so the server-wide policies do not cover it, as in NGINX). */
export type TargetRef =
  | { kind: 'Gateway'; name: string }
  | { kind: 'HTTPRoute'; name: string }
  | { kind: 'VirtualServer'; name: string };

/** A RequestAuthentication (or NGINX Policy attachment): providers + where they apply. */
export interface Authentication {
  name: string;
  providerIds: string[];
  /** Empty = applies to every route. */
  targets: TargetRef[];
  /** NGINX JWT policy semantics: a request with no token is rejected (401). Istio: false. */
  requireToken: boolean;
  source: SourceRef;
}

/** Istio `envoyExtAuthzHttp`, the Gatehouse way (kind ExtAuthzProvider). */
export interface ExtAuthzProvider {
  name: string;
  /** Base URL of the service; the original path is appended (Istio: service + port + pathPrefix). */
  url: string;
  timeoutMs: number;
  /** Request headers sent to the service (lower-case; a trailing `*` is a prefix). */
  includeRequestHeadersInCheck: string[];
  /** Response headers of an allowing answer that are added to the upstream request. */
  headersToUpstreamOnAllow: string[];
  failOpen: boolean;
}

/** A policy document kept for the authorization stage (issue: authorization at the gateway). */
export interface PolicyResource {
  apiVersion: string;
  kind: string;
  name: string;
  spec: unknown;
  source: SourceRef;
}

/** Upstream TLS (Backend spec.tls or a Gateway API BackendTLSPolicy); docs/mtls.md. */
export interface BackendTls {
  /** PEM roots the service certificate must chain to. */
  caBundlePem: string;
  /** PEM CRLs (one entry per CRL); a revoked service certificate fails the handshake. */
  crlPems: string[];
  /** URI SAN the service certificate must carry (SPIFFE ID). */
  expectedSpiffeId?: string;
  /** DNS SAN the service certificate must match (RFC 6125). */
  expectedDnsName?: string;
  /** SNI sent to the service (default: expectedDnsName; BackendTLSPolicy: validation.hostname). */
  serverName?: string;
  clientCertificate?: BackendClientCertificate;
}

export type BackendClientCertificate =
  | { kind: 'pem'; certificatePem: string; privateKeyPem: string }
  /** Issued by the directory CA to the gateway at start (key made locally, CSR) and renewed. */
  | { kind: 'ca'; dir: string; spiffeId: string; dnsNames: string[]; ttlSeconds?: number };
