// Validates raw YAML documents against the schema of their kind and sorts them into typed
// collections. Every document is checked, so all problems are reported together.
import type { SourceRef } from '../model/gateway-model.ts';
import { IGNORED_KINDS, KIND_SCHEMAS, kindKey, type KindKey } from './kinds.ts';
import type { Problems } from './problems.ts';
import type { RawDocument } from './read-documents.ts';
import type { AccessPolicyResource } from './schemas/access-policy.ts';
import type { AuthorizationPolicyResource } from './schemas/authorization-policy.ts';
import type { BackendResource } from './schemas/backend.ts';
import type { BackendTlsPolicyResource } from './schemas/backend-tls-policy.ts';
import type { ConfigMapResource } from './schemas/config-map.ts';
import type { ExtAuthzProviderResource } from './schemas/ext-authz-provider.ts';
import type { GatewayResource } from './schemas/gateway.ts';
import type { GatewayIdentityResource } from './schemas/gateway-identity.ts';
import type { GatewayOptionsResource } from './schemas/gateway-options.ts';
import type { HttpRouteResource } from './schemas/http-route.ts';
import type { IdentityServiceResource } from './schemas/identity-service.ts';
import type { JwtIssuerResource } from './schemas/jwt-issuer.ts';
import type { NginxPolicyResource } from './schemas/nginx-policy.ts';
import type { RateLimitPolicyResource } from './schemas/rate-limit-policy.ts';
import type { RequestAuthenticationResource } from './schemas/request-authentication.ts';
import type { SecretResource } from './schemas/secret.ts';
import type { RevocationFeedResource } from './schemas/revocation-feed.ts';
import type { TokenExchangeResource } from './schemas/token-exchange.ts';
import type { BrowserLoginResource } from './schemas/browser-login.ts';
import type { VirtualServerResource } from './schemas/virtual-server.ts';
import { reportZodIssues } from './zod-problems.ts';

export interface Parsed<Resource> {
  source: SourceRef;
  resource: Resource;
}

export interface Resources {
  '/Secret': Parsed<SecretResource>[];
  '/ConfigMap': Parsed<ConfigMapResource>[];
  'gateway.networking.k8s.io/Gateway': Parsed<GatewayResource>[];
  'gateway.networking.k8s.io/HTTPRoute': Parsed<HttpRouteResource>[];
  'gateway.networking.k8s.io/BackendTLSPolicy': Parsed<BackendTlsPolicyResource>[];
  'gatehouse.dev/Backend': Parsed<BackendResource>[];
  'gatehouse.dev/JWTIssuer': Parsed<JwtIssuerResource>[];
  'gatehouse.dev/AccessPolicy': Parsed<AccessPolicyResource>[];
  'gatehouse.dev/ExtAuthzProvider': Parsed<ExtAuthzProviderResource>[];
  'gatehouse.dev/RateLimitPolicy': Parsed<RateLimitPolicyResource>[];
  'gatehouse.dev/GatewayIdentity': Parsed<GatewayIdentityResource>[];
  'gatehouse.dev/GatewayOptions': Parsed<GatewayOptionsResource>[];
  'gatehouse.dev/IdentityService': Parsed<IdentityServiceResource>[];
  'gatehouse.dev/TokenExchange': Parsed<TokenExchangeResource>[];
  'gatehouse.dev/RevocationFeed': Parsed<RevocationFeedResource>[];
  'gatehouse.dev/BrowserLogin': Parsed<BrowserLoginResource>[];
  'security.istio.io/RequestAuthentication': Parsed<RequestAuthenticationResource>[];
  'security.istio.io/AuthorizationPolicy': Parsed<AuthorizationPolicyResource>[];
  'k8s.nginx.org/Policy': Parsed<NginxPolicyResource>[];
  'k8s.nginx.org/VirtualServer': Parsed<VirtualServerResource>[];
}

export function parseResources(documents: RawDocument[], problems: Problems): Resources {
  const resources = Object.fromEntries(Object.keys(KIND_SCHEMAS).map((key) => [key, []])) as unknown as Resources;
  for (const document of documents) {
    const header = readHeader(document, problems);
    if (!header) continue;
    const key = kindKey(header.apiVersion, header.kind);
    const source: SourceRef = { file: document.file, documentIndex: document.documentIndex, ...header.identity };
    if (key in IGNORED_KINDS) {
      problems.warn(source, `ignored: ${IGNORED_KINDS[key]}`);
      continue;
    }
    if (!(key in KIND_SCHEMAS)) {
      problems.at(source, 'kind', `unknown kind "${header.kind}" of apiVersion "${header.apiVersion}"; supported: ${supportedKinds()}`);
      continue;
    }
    const schema = KIND_SCHEMAS[key as KindKey];
    const result = schema.safeParse(document.content);
    if (!result.success) {
      reportZodIssues(result.error, schema, source, problems);
      continue;
    }
    const collection = resources[key as KindKey] as Parsed<unknown>[];
    const duplicate = collection.find((other) => other.source.name === source.name);
    if (duplicate) {
      problems.at(source, 'metadata.name', `duplicate ${header.kind} "${source.name}": also defined in ${duplicate.source.file} (document ${duplicate.source.documentIndex})`);
      continue;
    }
    collection.push({ source, resource: result.data });
  }
  return resources;
}

interface Header {
  apiVersion: string;
  kind: string;
  identity: { kind: string; name: string; namespace?: string };
}

function readHeader(document: RawDocument, problems: Problems): Header | undefined {
  const { file, documentIndex, content } = document;
  const fail = (path: string, message: string, kind?: string) => {
    problems.add({ file, documentIndex, kind, path, message });
    return undefined;
  };
  if (typeof content !== 'object' || content === null || Array.isArray(content)) {
    return fail('', 'a document must be a Kubernetes-style resource (a mapping with apiVersion, kind, metadata)');
  }
  const { apiVersion, kind, metadata } = content as Record<string, unknown>;
  if (typeof apiVersion !== 'string') return fail('apiVersion', `is required (a string such as "security.istio.io/v1")${snippetHint(content)}`);
  if (typeof kind !== 'string') return fail('kind', 'is required (a string such as "RequestAuthentication")');
  const meta = (typeof metadata === 'object' && metadata !== null ? metadata : {}) as Record<string, unknown>;
  if (typeof meta.name !== 'string' || meta.name === '') return fail('metadata.name', 'is required', kind);
  const namespace = typeof meta.namespace === 'string' ? meta.namespace : undefined;
  return { apiVersion, kind, identity: { kind, name: meta.name, ...(namespace ? { namespace } : {}) } };
}

/** Blog posts (seed 000) show bare `jwtRules:` / `rules:` snippets; say where they belong. */
function snippetHint(content: object): string {
  if ('jwtRules' in content) return '; a bare jwtRules list belongs under spec of a security.istio.io/v1 RequestAuthentication';
  if ('rules' in content && !('kind' in content)) return '; a bare rules list belongs under spec of a security.istio.io/v1 AuthorizationPolicy';
  return '';
}

function supportedKinds(): string {
  return Object.keys(KIND_SCHEMAS).map((key) => key.replace(/^\//, 'v1/')).join(', ');
}
