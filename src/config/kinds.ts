// Which `apiVersion`/`kind` pairs a config may contain, and the schema that validates each.
// Kinds from Kubernetes manifests that mean nothing to a gateway are accepted and ignored, with a
// warning, so the seeds' YAML (which carries Deployments and Services) loads as written.
import type { z } from 'zod';
import { accessPolicySchema } from './schemas/access-policy.ts';
import { authorizationPolicySchema } from './schemas/authorization-policy.ts';
import { backendSchema } from './schemas/backend.ts';
import { browserLoginSchema } from './schemas/browser-login.ts';
import { backendTlsPolicySchema } from './schemas/backend-tls-policy.ts';
import { configMapSchema } from './schemas/config-map.ts';
import { extAuthzProviderSchema } from './schemas/ext-authz-provider.ts';
import { gatewaySchema } from './schemas/gateway.ts';
import { gatewayIdentitySchema } from './schemas/gateway-identity.ts';
import { gatewayOptionsSchema } from './schemas/gateway-options.ts';
import { httpRouteSchema } from './schemas/http-route.ts';
import { identityServiceSchema } from './schemas/identity-service.ts';
import { jwtIssuerSchema } from './schemas/jwt-issuer.ts';
import { nginxPolicySchema } from './schemas/nginx-policy.ts';
import { rateLimitPolicySchema } from './schemas/rate-limit-policy.ts';
import { revocationFeedSchema } from './schemas/revocation-feed.ts';
import { tokenExchangeSchema } from './schemas/token-exchange.ts';
import { requestAuthenticationSchema } from './schemas/request-authentication.ts';
import { secretSchema } from './schemas/secret.ts';
import { virtualServerSchema } from './schemas/virtual-server.ts';

/** `group/kind` (core group is '') → schema. Versions are checked by each schema's apiVersion. */
export const KIND_SCHEMAS = {
  'gateway.networking.k8s.io/Gateway': gatewaySchema,
  'gateway.networking.k8s.io/HTTPRoute': httpRouteSchema,
  'gateway.networking.k8s.io/BackendTLSPolicy': backendTlsPolicySchema,
  'gatehouse.dev/Backend': backendSchema,
  'gatehouse.dev/JWTIssuer': jwtIssuerSchema,
  'gatehouse.dev/AccessPolicy': accessPolicySchema,
  'gatehouse.dev/ExtAuthzProvider': extAuthzProviderSchema,
  'gatehouse.dev/RateLimitPolicy': rateLimitPolicySchema,
  'gatehouse.dev/GatewayIdentity': gatewayIdentitySchema,
  'gatehouse.dev/GatewayOptions': gatewayOptionsSchema,
  // Configures `gatehouse identity`; validated here (so `gatehouse check` catches mistakes) but unused by the gateway.
  'gatehouse.dev/IdentityService': identityServiceSchema,
  'gatehouse.dev/TokenExchange': tokenExchangeSchema,
  'gatehouse.dev/RevocationFeed': revocationFeedSchema,
  'gatehouse.dev/BrowserLogin': browserLoginSchema,
  'security.istio.io/RequestAuthentication': requestAuthenticationSchema,
  'security.istio.io/AuthorizationPolicy': authorizationPolicySchema,
  'k8s.nginx.org/Policy': nginxPolicySchema,
  'k8s.nginx.org/VirtualServer': virtualServerSchema,
  '/Secret': secretSchema,
  '/ConfigMap': configMapSchema,
} as const satisfies Record<string, z.ZodType>;

export type KindKey = keyof typeof KIND_SCHEMAS;

/** Accepted and ignored, with the reason shown in the warning. */
export const IGNORED_KINDS: Record<string, string> = {
  'apps/Deployment': 'workloads run outside Gatehouse; point a gatehouse.dev Backend at them',
  '/Service': 'Services are resolved through a gatehouse.dev Backend of the same name',
  '/Namespace': 'namespaces only prefix route ids',
  'gateway.networking.k8s.io/GatewayClass': 'Gatehouse is the only gateway class',
  'security.istio.io/PeerAuthentication': 'mesh mTLS between sidecars does not apply to an edge gateway',
};

/** The group of an apiVersion: `security.istio.io/v1` → `security.istio.io`, `v1` → ''. */
export function apiGroup(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash === -1 ? '' : apiVersion.slice(0, slash);
}

export function kindKey(apiVersion: string, kind: string): string {
  return `${apiGroup(apiVersion)}/${kind}`;
}
