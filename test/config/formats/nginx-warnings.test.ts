// `gatehouse check` names every NGINX JWT setting weaker than its Istio equivalent, once per
// Policy — and stops naming the ones the Policy opts out of.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadYaml } from '../support/temp-config.ts';

const policy = (annotations: string) => `apiVersion: k8s.nginx.org/v1
kind: Policy
metadata:
  name: jwt
${annotations}spec:
  jwt:
    realm: cafe
    jwksURI: https://idp.example/jwks
`;

const weaker = (warnings: string[]) => warnings.filter((w) => w.includes('Policy/jwt:') && w.includes('Istio')).map((w) => w.slice(w.indexOf('Policy/jwt:') + 12));

test('NGINX semantics weaker than Istio: exp optional, any iss, no aud check, token forwarded', (t) => {
  const warnings = weaker(loadYaml(t, policy('')).warnings);
  assert.equal(warnings.length, 4, warnings.join('\n'));
  assert.match(warnings[0], /^tokens without "exp" are accepted .* gatehouse\.dev\/require-exp: "true"/);
  assert.match(warnings[1], /^any "iss" is accepted/);
  assert.match(warnings[2], /^"aud" is not checked/);
  assert.match(warnings[3], /^the token is forwarded to the upstream/);
});

test('requiring exp by annotation removes that warning', (t) => {
  const warnings = weaker(loadYaml(t, policy('  annotations:\n    gatehouse.dev/require-exp: "true"\n')).warnings);
  assert.equal(warnings.length, 3);
  assert.ok(!warnings.some((w) => w.includes('"exp"')));
});
