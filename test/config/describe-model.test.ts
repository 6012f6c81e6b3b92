// `gatehouse check` output: what would be served, readable, and never a secret.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { describeModel } from '../../src/config/describe-model.ts';
import { loadConfig } from '../../src/config/load-config.ts';
import { FIXTURES, writeTempConfig } from './support/temp-config.ts';

test('the seed 000 summary lists listeners, routes in match order, providers, authentications, policies, warnings', () => {
  const text = describeModel(loadConfig(join(FIXTURES, 'seed-000')));
  const expectedInOrder = [
    'Listeners (1)',
    'edge/http  HTTP 127.0.0.1:8080',
    'Routes (2, in match order)',
    'default/services/rule-1/match-0  any host  PathPrefix /orders  via edge  timeout 10000ms  -> order-service (weight 1)',
    'default/services/rule-0/match-0  any host  PathPrefix /users  via edge  -> user-service (weight 1)',
    'Backends (2)',
    'JWT providers (3)',
    'RequestAuthentication/jwt-auth#0',
    'issuer https://auth.company.com',
    'keys remote https://auth.company.com/.well-known/jwks.json (timeout 5000ms)',
    'token from header authorization "Bearer ", query access_token',
    'payload -> x-jwt-payload',
    'Authentications (2)',
    'jwt-auth  providers RequestAuthentication/jwt-auth#0  on every route  token optional (policy decides)',
    'Policies (1)',
    'AuthorizationPolicy/require-role ALLOW',
    'Warnings (1)',
    'PeerAuthentication/dev-mode: ignored',
  ];
  let position = 0;
  for (const expected of expectedInOrder) {
    const found = text.indexOf(expected, position);
    assert.ok(found >= 0, `"${expected}" missing or out of order in:\n${text}`);
    position = found + expected.length;
  }
});

test('HMAC secrets and inline key material never appear in the summary', (t) => {
  process.env.GATEHOUSE_TEST_DESCRIBE_SECRET = 'super-secret-value';
  t.after(() => delete process.env.GATEHOUSE_TEST_DESCRIBE_SECRET);
  const directory = writeTempConfig(t, {
    'config.yaml': `apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata: {name: ra}
spec:
  jwtRules: [{issuer: "https://issuer.example", jwks: '{"keys":[{"kty":"oct","k":"c2VjcmV0LWtleS1ieXRlcw"}]}'}]
---
apiVersion: gatehouse.dev/v1alpha1
kind: JWTIssuer
metadata: {name: hmac}
spec: {issuer: "https://issuer.example", hmacSecretEnv: GATEHOUSE_TEST_DESCRIBE_SECRET}
`,
  });
  const text = describeModel(loadConfig(directory));
  assert.match(text, /HMAC secrets: 1 configured/);
  assert.match(text, /keys inline JWKS \(1 key\)/);
  assert.doesNotMatch(text, /super-secret-value|c2VjcmV0LWtleS1ieXRlcw/);
});
