// The YAML preamble most gateway tests start from, written once: the `edge` Gateway with its
// HTTP listener, Backends, plain path-prefix HTTPRoutes and a RequestAuthentication. Each test
// keeps its distinctive documents (policies, filters, feeds) inline next to these.

export interface PathRoute {
  name: string;
  pathPrefix: string;
  backend: string;
}

export interface EdgeRouting {
  /** Backend name → URL. */
  backends: Record<string, string>;
  routes: PathRoute[];
}

export interface JwtRule {
  issuer: string;
  jwksUri: string;
  audiences?: string[];
  /** Further jwtRule fields as YAML lines (outputClaimToHeaders…), indented by this module. */
  extra?: string[];
}

/** The Gateway `edge` with one HTTP listener (tests override the port with listenerOverrides).
 * One listener a line, so a test can add another after `  - {name: http, …}`. */
export function edgeGatewayDocument(): string {
  return `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: edge}
spec:
  listeners:
  - {name: http, port: 8080, protocol: HTTP}`;
}

export function backendDocument(name: string, url: string): string {
  return `apiVersion: gatehouse.dev/v1alpha1
kind: Backend
metadata: {name: ${name}}
spec:
  endpoints: [{url: "${url}"}]`;
}

/** An HTTPRoute on `edge` sending one path prefix to one Backend. */
export function pathRouteDocument(route: PathRoute): string {
  return `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: ${route.name}}
spec:
  parentRefs: [{name: edge}]
  rules:
  - matches: [{path: {type: PathPrefix, value: "${route.pathPrefix}"}}]
    backendRefs: [{group: gatehouse.dev, kind: Backend, name: ${route.backend}}]`;
}

/** Gateway, then the Backends, then the routes. */
export function edgeRoutingDocuments(routing: EdgeRouting): string[] {
  return [
    edgeGatewayDocument(),
    ...Object.entries(routing.backends).map(([name, url]) => backendDocument(name, url)),
    ...routing.routes.map(pathRouteDocument),
  ];
}

/** A RequestAuthentication with one jwtRule. */
export function requestAuthenticationDocument(name: string, rule: JwtRule): string {
  const lines = [`  - issuer: "${rule.issuer}"`];
  if (rule.audiences !== undefined) lines.push(`    audiences: [${rule.audiences.map((audience) => `"${audience}"`).join(', ')}]`);
  lines.push(`    jwksUri: "${rule.jwksUri}"`, ...(rule.extra ?? []).map((line) => `    ${line}`));
  return `apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata: {name: ${name}}
spec:
  jwtRules:
${lines.join('\n')}`;
}

/** Documents as one multi-document YAML file. */
export function yamlDocuments(documents: readonly string[]): string {
  return documents.join('\n---\n') + '\n';
}

/** PEM text as the body of a YAML block scalar under a two-space key (`  tls.crt: |`). */
function pemBlock(pem: string): string {
  return pem.trim().split('\n').map((line) => `    ${line}`).join('\n');
}

/** A kubernetes.io/tls Secret, as a listener's certificateRefs names it. */
export function tlsSecretDocument(name: string, certificatePem: string, privateKeyPem: string): string {
  return `apiVersion: v1
kind: Secret
metadata: {name: ${name}}
type: kubernetes.io/tls
stringData:
  tls.crt: |
${pemBlock(certificatePem)}
  tls.key: |
${pemBlock(privateKeyPem)}`;
}

/** A ConfigMap holding a CA bundle under ca.crt, as frontendValidation.caCertificateRefs names it. */
export function caBundleConfigMapDocument(name: string, bundlePem: string): string {
  return `apiVersion: v1
kind: ConfigMap
metadata: {name: ${name}}
data:
  ca.crt: |
${pemBlock(bundlePem)}`;
}

/** An AuthorizationPolicy that lets any verified token through and refuses anonymous requests. */
export function signedInOnlyPolicyDocument(name = 'signed-in-only'): string {
  return `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: ${name}}
spec:
  action: ALLOW
  rules:
  - from: [{source: {requestPrincipals: ["*"]}}]`;
}

/** An Opaque Secret with one string entry, as `secretRef: {name, key}` names it. */
export function opaqueSecretDocument(name: string, key: string, value: string): string {
  return `apiVersion: v1
kind: Secret
metadata: {name: ${name}}
type: Opaque
stringData: {${key}: "${value}"}`;
}

export interface BrowserLoginOptions {
  /** The HTTPRoute it attaches to. */
  route: string;
  issuer: string;
  clientId: string;
  /** The Secret (and key in it) holding the client secret. */
  clientSecret: { name: string; key: string };
  scopes: string[];
  resource: string;
  /** Base64 of a 32-byte cookie key. */
  cookieKey: string;
  cookieName?: string;
  /** Further spec fields as YAML lines (callbackPath…), indented by this module. */
  extra?: string[];
}

/** A BrowserLogin (the gateway as an OIDC relying party) on one route. */
export function browserLoginDocument(name: string, options: BrowserLoginOptions): string {
  const cookie = [...(options.cookieName === undefined ? [] : [`    name: ${options.cookieName}`]), `    keys: [{value: "${options.cookieKey}"}]`];
  return `apiVersion: gatehouse.dev/v1alpha1
kind: BrowserLogin
metadata: {name: ${name}}
spec:
  targetRefs: [{kind: HTTPRoute, name: ${options.route}}]
  issuer: "${options.issuer}"
  clientId: ${options.clientId}
  clientSecret: {secretRef: {name: ${options.clientSecret.name}, key: ${options.clientSecret.key}}}
  scopes: [${options.scopes.map((scope) => `"${scope}"`).join(', ')}]
  resource: "${options.resource}"
${(options.extra ?? []).map((line) => `  ${line}\n`).join('')}  cookie:
${cookie.join('\n')}`;
}

export interface TokenExchangeOptions {
  /** The HTTPRoute it attaches to. */
  route: string;
  tokenEndpoint: string;
  clientId: string;
  /** The Secret (and key in it) holding the client secret. */
  clientSecret: { name: string; key: string };
  audience: string;
  /** Further spec fields as YAML lines (timeout…), indented by this module. */
  extra?: string[];
}

/** A TokenExchange (opaque token in, JWT upstream) on one route. */
export function tokenExchangeDocument(name: string, options: TokenExchangeOptions): string {
  return `apiVersion: gatehouse.dev/v1alpha1
kind: TokenExchange
metadata: {name: ${name}}
spec:
  targetRefs: [{kind: HTTPRoute, name: ${options.route}}]
  tokenEndpoint: "${options.tokenEndpoint}"
  clientId: ${options.clientId}
  clientSecret: {secretRef: {name: ${options.clientSecret.name}, key: ${options.clientSecret.key}}}
  audience: "${options.audience}"${(options.extra ?? []).map((line) => `\n  ${line}`).join('')}`;
}
