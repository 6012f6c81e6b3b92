// Istio RequestAuthentication jwtRules → providers with Istio's documented semantics.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GATEWAY, loadYaml } from '../support/temp-config.ts';

const JWKS = '{"keys":[{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}]}';

test('every jwtRules field maps onto the provider', (t) => {
  const model = loadYaml(t, `apiVersion: security.istio.io/v1beta1
kind: RequestAuthentication
metadata: {name: full}
spec:
  jwtRules:
  - issuer: https://issuer.example
    audiences: [orders, payments]
    jwks: '${JWKS}'
    fromHeaders: [{name: X-Token}, {name: Authorization, prefix: "Token "}]
    fromParams: [token]
    fromCookies: [session]
    outputPayloadToHeader: X-JWT-Payload
    outputClaimToHeaders: [{header: X-User, claim: sub}, {header: x-tenant, claim: org.tenant}]
    forwardOriginalToken: true
    timeout: 1.5s
  - issuer: https://discovered.example
    timeout: 2s
`);
  const [full, discovered] = model.providers;
  assert.equal(full.id, 'RequestAuthentication/full#0');
  assert.deepEqual(full.audiences, ['orders', 'payments']);
  assert.deepEqual(full.keys, { kind: 'inline', jwks: JWKS });
  assert.deepEqual(full.locations, [
    { kind: 'header', name: 'x-token' },
    { kind: 'header', name: 'authorization', prefix: 'Token ' },
    { kind: 'query', name: 'token' },
    { kind: 'cookie', name: 'session' },
  ]);
  assert.equal(full.outputPayloadToHeader, 'x-jwt-payload');
  assert.deepEqual(full.outputClaimToHeaders, [{ header: 'x-user', claim: 'sub' }, { header: 'x-tenant', claim: 'org.tenant' }]);
  assert.equal(full.forwardOriginalToken, true);
  // Neither jwksUri nor jwks: OIDC discovery from the issuer, with the rule's timeout.
  assert.equal(discovered.id, 'RequestAuthentication/full#1');
  assert.deepEqual(discovered.keys, { kind: 'discovery', issuer: 'https://discovered.example', timeoutMs: 2000 });
  assert.equal(discovered.outputPayloadToHeader, undefined);
});

test('targetRef / targetRefs scope an Authentication; annotations set realm and login URL', (t) => {
  const model = loadYaml(t, `${GATEWAY}---
apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata:
  name: scoped
  annotations:
    gatehouse.dev/realm: shop
    gatehouse.dev/login-url: https://login.example/start
spec:
  targetRef: {group: gateway.networking.k8s.io, kind: Gateway, name: edge}
  jwtRules: [{issuer: "https://a.example", jwksUri: "https://a.example/jwks"}]
---
apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata: {name: selected}
spec:
  selector: {matchLabels: {app: gateway}}
  targetRefs: [{kind: Gateway, name: edge}]
  jwtRules: [{issuer: "https://b.example", jwksUri: "https://b.example/jwks"}]
`);
  assert.deepEqual(model.authentications.map((a) => [a.name, a.targets]), [
    ['scoped', [{ kind: 'Gateway', name: 'edge' }]],
    ['selected', [{ kind: 'Gateway', name: 'edge' }]],
  ]);
  assert.equal(model.providers[0].realm, 'shop');
  assert.equal(model.providers[0].loginUrl, 'https://login.example/start');
  assert.equal(model.providers[1].realm, 'gatehouse');
  assert.match(model.warnings.join('\n'), /RequestAuthentication\/selected: spec.selector is ignored/);
});
