// gatehouse.dev JWTIssuer settings merge into the Istio jwtRules with the same issuer.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../../../src/config/load-config.ts';
import { writeTempConfig } from '../support/temp-config.ts';

const RULES = `apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata: {name: ra}
spec:
  jwtRules:
  - issuer: https://issuer.example
    audiences: [api]
---
`;

test('a JWTIssuer adds realm, login URL, leeway, pinned algorithms, claims, lifetime, key file and refresh bounds', (t) => {
  const directory = writeTempConfig(t, {
    'keys.json': '{"keys":[]}',
    'config.yaml': `${RULES}apiVersion: gatehouse.dev/v1alpha1
kind: JWTIssuer
metadata: {name: issuer}
spec:
  issuer: https://issuer.example
  realm: example
  loginUrl: https://login.example/
  clockSkew: 30s
  algorithms: [ES256, EdDSA]
  requiredClaims: [sub, tenant]
  maxTokenLifetime: 1h
  requireExp: false
  jwksFile: keys.json
  jwksRefresh: {min: 1m, max: 2h, unknownKidCooldown: 10s}
`,
  });
  const [provider] = loadConfig(directory).providers;
  assert.deepEqual(
    {
      realm: provider.realm, loginUrl: provider.loginUrl, skew: provider.clockSkewSeconds, algorithms: provider.algorithms,
      claims: provider.requiredClaims, lifetime: provider.maxTokenLifetimeSeconds, requireExp: provider.requireExp,
      keys: provider.keys, refresh: provider.jwksRefresh, audiences: provider.audiences, hmac: provider.hmacSecrets,
    },
    {
      realm: 'example', loginUrl: 'https://login.example/', skew: 30, algorithms: ['ES256', 'EdDSA'],
      claims: ['sub', 'tenant'], lifetime: 3600, requireExp: false,
      keys: { kind: 'file', path: join(directory, 'keys.json') },
      refresh: { minSeconds: 60, maxSeconds: 7200, unknownKidCooldownSeconds: 10 }, audiences: ['api'], hmac: [],
    },
  );
});

test('an HMAC secret from an env variable or a Secret enables HS* for that issuer only', (t) => {
  process.env.GATEHOUSE_TEST_HMAC = 'env-shared-secret';
  t.after(() => delete process.env.GATEHOUSE_TEST_HMAC);
  const directory = writeTempConfig(t, {
    'config.yaml': `${RULES}apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata: {name: other}
spec:
  jwtRules: [{issuer: "https://other.example", jwksUri: "https://other.example/jwks"}]
---
apiVersion: gatehouse.dev/v1alpha1
kind: JWTIssuer
metadata: {name: issuer}
spec:
  issuer: https://issuer.example
  discovery: true
  hmacSecretEnv: GATEHOUSE_TEST_HMAC
  hmacSecretRef: {name: hmac}
---
apiVersion: v1
kind: Secret
metadata: {name: hmac}
type: Opaque
data:
  secret: ${Buffer.from('secret-from-k8s').toString('base64')}
`,
  });
  const [hmacProvider, otherProvider] = loadConfig(directory).providers;
  assert.deepEqual(hmacProvider.hmacSecrets, ['env-shared-secret', 'secret-from-k8s']);
  assert.ok(hmacProvider.algorithms.includes('HS256') && hmacProvider.algorithms.includes('RS256'));
  assert.deepEqual(hmacProvider.keys, { kind: 'discovery', issuer: 'https://issuer.example', timeoutMs: 5000 });
  assert.ok(!otherProvider.algorithms.some((algorithm) => algorithm.startsWith('HS')));
  assert.deepEqual(otherProvider.hmacSecrets, []);
});

test('resource annotations win over the JWTIssuer; a JWTIssuer no rule uses is a warning', (t) => {
  const directory = writeTempConfig(t, {
    'config.yaml': `apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata:
  name: ra
  annotations: {gatehouse.dev/realm: from-annotation, gatehouse.dev/require-exp: "false"}
spec:
  jwtRules: [{issuer: "https://issuer.example", jwksUri: "https://issuer.example/jwks"}]
---
apiVersion: gatehouse.dev/v1alpha1
kind: JWTIssuer
metadata: {name: issuer}
spec: {issuer: "https://issuer.example", realm: from-issuer, requireExp: true}
---
apiVersion: gatehouse.dev/v1alpha1
kind: JWTIssuer
metadata: {name: unused}
spec: {issuer: "https://nobody.example"}
`,
  });
  const model = loadConfig(directory);
  assert.equal(model.providers[0].realm, 'from-annotation');
  assert.equal(model.providers[0].requireExp, false);
  assert.match(model.warnings.join('\n'), /JWTIssuer\/unused: no RequestAuthentication jwtRule has issuer "https:\/\/nobody.example"/);
});
