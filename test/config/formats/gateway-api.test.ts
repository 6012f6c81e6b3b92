// Gateway API Gateway + HTTPRoute documents → listeners and routes, field by field.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BACKEND, GATEWAY, loadYaml } from '../support/temp-config.ts';

const HTTPS_GATEWAY = `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: secure}
spec:
  addresses: [{type: IPAddress, value: 127.0.0.1}]
  listeners:
  - name: https
    hostname: "*.Example.com"
    port: 8443
    protocol: HTTPS
    tls:
      mode: Terminate
      certificateRefs: [{kind: Secret, name: gatehouse-test-tls}]
`;

test('an HTTPS listener carries the PEM pair of its kubernetes.io/tls Secret', (t) => {
  const model = loadYaml(t, HTTPS_GATEWAY, ['tls-secret.yaml']);
  const [listener] = model.listeners;
  assert.deepEqual(
    { id: listener.id, address: listener.address, port: listener.port, protocol: listener.protocol, hostname: listener.hostname },
    { id: 'secure/https', address: '127.0.0.1', port: 8443, protocol: 'HTTPS', hostname: '*.example.com' },
  );
  assert.match(listener.tls?.certificatePem ?? '', /^-----BEGIN CERTIFICATE-----/);
  assert.match(listener.tls?.privateKeyPem ?? '', /^-----BEGIN PRIVATE KEY-----/);
});

test('an HTTPRoute becomes one route per (rule, match) with every match and filter field', (t) => {
  const model = loadYaml(t, `${GATEWAY}---\n${BACKEND}---
apiVersion: gatehouse.dev/v1alpha1
kind: Backend
metadata: {name: api-v2}
spec:
  endpoints: [{url: "http://127.0.0.1:9200"}]
---
apiVersion: gateway.networking.k8s.io/v1beta1
kind: HTTPRoute
metadata: {name: api, namespace: shop}
spec:
  parentRefs: [{name: edge, sectionName: http}]
  hostnames: [API.example.com, "*.example.org"]
  rules:
  - matches:
    - path: {type: PathPrefix, value: /v1}
      method: GET
      headers: [{name: X-Version, value: "2"}, {type: RegularExpression, name: x-tenant, value: "^t-[0-9]+$"}]
      queryParams: [{name: Debug, value: "1"}]
    - path: {type: Exact, value: /v1/health}
    filters:
    - type: RequestHeaderModifier
      requestHeaderModifier:
        set: [{name: X-Env, value: prod}]
        add: [{name: X-Via, value: gatehouse}]
        remove: [X-Internal]
    - type: URLRewrite
      urlRewrite: {hostname: internal.api, path: {type: ReplaceFullPath, replaceFullPath: /health}}
    backendRefs:
    - {group: gatehouse.dev, kind: Backend, name: api, weight: 90}
    - {name: api-v2, port: 8080, weight: 10}
    timeouts: {request: 1m30s}
  - matches: [{path: {type: PathPrefix, value: /old}}]
    filters:
    - type: RequestRedirect
      requestRedirect: {scheme: https, port: 8443, path: {type: ReplacePrefixMatch, replacePrefixMatch: /new}}
  - backendRefs: [{group: gatehouse.dev, kind: Backend, name: api}]
`);
  const byId = new Map(model.routes.map((route) => [route.id, route]));
  const first = byId.get('shop/api/rule-0/match-0');
  assert.ok(first);
  assert.deepEqual(first.parents, [{ gateway: 'edge', sectionName: 'http' }]);
  assert.deepEqual(first.hostnames, ['api.example.com', '*.example.org']);
  assert.deepEqual(first.match, {
    path: { type: 'PathPrefix', value: '/v1' },
    method: 'GET',
    headers: [
      { type: 'Exact', name: 'x-version', value: '2' },
      { type: 'RegularExpression', name: 'x-tenant', value: '^t-[0-9]+$' },
    ],
    queryParams: [{ type: 'Exact', name: 'Debug', value: '1' }],
  });
  assert.deepEqual(first.filters, [
    { type: 'RequestHeaderModifier', modifier: { set: [{ name: 'x-env', value: 'prod' }], add: [{ name: 'x-via', value: 'gatehouse' }], remove: ['x-internal'] } },
    { type: 'URLRewrite', hostname: 'internal.api', path: { type: 'ReplaceFullPath', value: '/health' } },
  ]);
  assert.deepEqual(first.backends, [{ backend: 'api', weight: 90 }, { backend: 'api-v2', weight: 10 }]);
  assert.equal(first.timeoutMs, 90_000);
  assert.deepEqual(byId.get('shop/api/rule-0/match-1')?.match.path, { type: 'Exact', value: '/v1/health' });

  const redirect = byId.get('shop/api/rule-1/match-0');
  assert.deepEqual(redirect?.backends, []);
  assert.deepEqual(redirect?.filters, [
    { type: 'RequestRedirect', scheme: 'https', port: 8443, statusCode: 302, path: { type: 'ReplacePrefixMatch', value: '/new' } },
  ]);
  const catchAll = byId.get('shop/api/rule-2/match-0');
  assert.deepEqual(catchAll?.match, { path: { type: 'PathPrefix', value: '/' }, headers: [], queryParams: [] });
  assert.equal(catchAll?.timeoutMs, undefined);
});

test('an HTTPRoute without parentRefs attaches to every listener (parents empty)', (t) => {
  const model = loadYaml(t, `${BACKEND}---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: open}
spec:
  rules: [{backendRefs: [{group: gatehouse.dev, kind: Backend, name: api}]}]
`);
  assert.deepEqual(model.routes[0].parents, []);
  assert.deepEqual(model.routes[0].hostnames, []);
});
