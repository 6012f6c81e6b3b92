// NGINX Policy token variables, key sources and VirtualServer path syntax.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadYaml } from '../support/temp-config.ts';

function policy(name: string, jwt: string, annotations = ''): string {
  return `apiVersion: k8s.nginx.org/v1
kind: Policy
metadata:
  name: ${name}
${annotations}spec:
  jwt:
${jwt}
---
`;
}

const BACKEND = `apiVersion: gatehouse.dev/v1alpha1
kind: Backend
metadata: {name: coffee-svc}
spec:
  endpoints: [{url: "http://127.0.0.1:9201"}]
---
`;

test('token variables map to header / cookie / query locations (NGINX variable naming)', (t) => {
  const cases: [string, object[]][] = [
    ['$http_x_api_token', [{ kind: 'header', name: 'x-api-token' }]],
    ['$cookie_auth_token', [{ kind: 'cookie', name: 'auth_token' }]],
    ['$arg_apijwt', [{ kind: 'query', name: 'apijwt' }]],
  ];
  for (const [token, locations] of cases) {
    const model = loadYaml(t, policy('p', `    jwksURI: https://idp.example/jwks\n    token: ${token}`));
    assert.deepEqual(model.providers[0].locations, locations, token);
  }
});

test('jwksURI with keyCache, login URL annotation, require-exp opt-in', (t) => {
  const model = loadYaml(t, policy('remote', '    jwksURI: https://idp.example/jwks\n    keyCache: 1h', '  annotations:\n    gatehouse.dev/login-url: https://login.example\n    gatehouse.dev/require-exp: "true"\n'));
  const [provider] = model.providers;
  assert.deepEqual(provider.keys, { kind: 'remote', uri: 'https://idp.example/jwks', timeoutMs: 5000 });
  assert.deepEqual(provider.jwksRefresh, { minSeconds: 30, maxSeconds: 3600, unknownKidCooldownSeconds: 30 });
  assert.equal(provider.loginUrl, 'https://login.example');
  assert.equal(provider.requireExp, true);
  assert.match(model.warnings.join('\n'), /Policy\/remote: no VirtualServer references this Policy/);
});

test('VirtualServer paths: prefix, =exact, ~regex and ~*case-insensitive regex', (t) => {
  const model = loadYaml(t, `${BACKEND}apiVersion: k8s.nginx.org/v1
kind: VirtualServer
metadata: {name: cafe, namespace: web}
spec:
  host: Cafe.Example.com
  upstreams: [{name: coffee, service: coffee-svc, port: 80}]
  routes:
  - {path: /coffee, action: {pass: coffee}}
  - {path: =/coffee/menu, action: {pass: coffee}}
  - {path: "~ ^/latte/[0-9]+$", action: {proxy: {upstream: coffee}}}
  - {path: "~* \\\\.PNG$", action: {pass: coffee}}
`);
  const byId = new Map(model.routes.map((route) => [route.id, route.match.path]));
  assert.deepEqual(byId.get('web/cafe/route-0'), { type: 'PathPrefix', value: '/coffee' });
  assert.deepEqual(byId.get('web/cafe/route-1'), { type: 'Exact', value: '/coffee/menu' });
  assert.deepEqual(byId.get('web/cafe/route-2'), { type: 'RegularExpression', value: '^/latte/[0-9]+$' });
  const caseless = byId.get('web/cafe/route-3');
  assert.deepEqual(caseless, { type: 'RegularExpression', value: '(?i:\\.PNG$)' });
  assert.ok(new RegExp(caseless.value).test('/photo.png'));
  assert.deepEqual(model.routes[0].hostnames, ['cafe.example.com']);
  assert.deepEqual(model.authentications, []);
});
