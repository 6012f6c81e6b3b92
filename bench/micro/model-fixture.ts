// A GatewayModel for the micro-benchmarks, built by the real config front end (buildModel) from
// the same kinds of documents users write: N HTTPRoutes, an Istio RequestAuthentication with an
// inline JWKS, and an AuthorizationPolicy with M rules.
import { buildModel } from '../../src/config/build-model.ts';
import type { GatewayModel } from '../../src/model/gateway-model.ts';

export const MICRO_ISSUER = 'https://issuer.micro.test';
export const MICRO_AUDIENCE = 'micro-api';
export const MICRO_PORT = 8080;

export function microModel(options: { routes: number; policyRules: number; jwks: string }): GatewayModel {
  const file = 'micro-bench.yaml';
  const contents: unknown[] = [
    {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: 'micro' },
      spec: { listeners: [{ name: 'http', port: MICRO_PORT, protocol: 'HTTP' }] },
    },
    { apiVersion: 'gatehouse.dev/v1alpha1', kind: 'Backend', metadata: { name: 'upstream' }, spec: { endpoints: [{ url: 'http://127.0.0.1:9' }] } },
    {
      apiVersion: 'security.istio.io/v1',
      kind: 'RequestAuthentication',
      metadata: { name: 'micro-jwt' },
      spec: { jwtRules: [{ issuer: MICRO_ISSUER, audiences: [MICRO_AUDIENCE], jwks: options.jwks, outputPayloadToHeader: 'x-jwt-payload' }] },
    },
  ];
  for (let i = 0; i < options.routes; i++) {
    contents.push({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: `service-${i}` },
      spec: {
        parentRefs: [{ name: 'micro' }],
        rules: [
          {
            matches: [{ path: { type: 'PathPrefix', value: `/service-${i}` } }],
            filters: [{ type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'x-service', value: `service-${i}` }] } }],
            backendRefs: [{ group: 'gatehouse.dev', kind: 'Backend', name: 'upstream' }],
          },
        ],
      },
    });
  }
  if (options.policyRules > 0) {
    contents.push({
      apiVersion: 'security.istio.io/v1',
      kind: 'AuthorizationPolicy',
      metadata: { name: 'micro-policy' },
      spec: {
        action: 'ALLOW',
        rules: Array.from({ length: options.policyRules }, (_, i) => ({
          from: [{ source: { requestPrincipals: ['*'] } }],
          to: [{ operation: { paths: [`/service-${i}/*`], methods: ['GET'] } }],
          when: [{ key: 'request.auth.claims[role]', values: ['user', 'admin'] }],
        })),
      },
    });
  }
  return buildModel(contents.map((content, documentIndex) => ({ file, documentIndex, content })));
}
