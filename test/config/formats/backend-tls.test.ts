// Backend spec.tls and Gateway API BackendTLSPolicy → the model, and the problems a user sees
// for each mistake. (Listener frontendValidation is covered end to end: test/e2e/gateway-edge-mtls.)
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { rootCertificates } from 'node:tls';
import { ConfigError } from '../../../src/config/config-error.ts';
import { loadConfig } from '../../../src/config/load-config.ts';
import type { GatewayModel } from '../../../src/model/gateway-model.ts';
import { writeTempConfig } from '../support/temp-config.ts';

const ROOT = rootCertificates[0];
const indent = (pem: string) => pem.trim().split('\n').map((line) => `    ${line}`).join('\n');
const BUNDLE = `apiVersion: v1
kind: ConfigMap
metadata: {name: mesh-ca}
data:
  ca.crt: |
${indent(ROOT)}
---
`;
const backend = (name: string, tls = '') => `apiVersion: gatehouse.dev/v1alpha1
kind: Backend
metadata: {name: ${name}}
spec:
  endpoints: [{url: "https://127.0.0.1:9443"}]
${tls}---
`;
const policy = (validation: string, target = 'orders') => `apiVersion: gateway.networking.k8s.io/v1
kind: BackendTLSPolicy
metadata: {name: orders-tls}
spec:
  targetRefs: [{group: "", kind: Service, name: ${target}}]
  validation:
${validation}`;

function load(t: TestContext, yaml: string): GatewayModel {
  const directory = writeTempConfig(t, { 'bundle.pem': ROOT, 'config.yaml': yaml });
  return loadConfig(directory);
}

function problemOf(t: TestContext, yaml: string): string {
  try {
    load(t, yaml);
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    return error.problems.map((problem) => `${problem.path}: ${problem.message}`).join('\n');
  }
  assert.fail('the config loaded');
}

test('Backend spec.tls: bundle file, expected SPIFFE ID and a client certificate from the directory CA', (t) => {
  const model = load(t, backend('orders', `  tls:
    caBundle: {file: bundle.pem}
    expectedSpiffeId: spiffe://cluster.local/ns/shop/sa/orders
    clientCertificate: {ca: {dir: ca, spiffeId: spiffe://cluster.local/ns/edge/sa/gatehouse, ttl: 1h}}
`));
  const tls = model.backends[0].tls!;
  assert.equal(tls.caBundlePem, ROOT);
  assert.equal(tls.expectedSpiffeId, 'spiffe://cluster.local/ns/shop/sa/orders');
  assert.deepEqual(tls.clientCertificate, {
    kind: 'ca', dir: join(model.backends[0].source.file, '..', 'ca'), spiffeId: 'spiffe://cluster.local/ns/edge/sa/gatehouse', dnsNames: [], ttlSeconds: 3600,
  });
});

test('BackendTLSPolicy: hostname is SNI and the expected name, or a URI subjectAltName is the expected SPIFFE ID', (t) => {
  const byHostname = load(t, BUNDLE + backend('orders') + policy(`    caCertificateRefs: [{group: "", kind: ConfigMap, name: mesh-ca}]
    hostname: orders.shop.svc
`));
  assert.deepEqual(byHostname.backends[0].tls, { caBundlePem: ROOT.trim() + '\n', crlPems: [], expectedSpiffeId: undefined, expectedDnsName: 'orders.shop.svc', serverName: 'orders.shop.svc' });
  const bySpiffeId = load(t, BUNDLE + backend('orders') + policy(`    wellKnownCACertificates: System
    hostname: orders.shop.svc
    subjectAltNames: [{type: URI, uri: "spiffe://cluster.local/ns/shop/sa/orders"}]
`));
  const tls = bySpiffeId.backends[0].tls!;
  assert.equal(tls.expectedSpiffeId, 'spiffe://cluster.local/ns/shop/sa/orders');
  assert.equal(tls.expectedDnsName, undefined);
  assert.equal(tls.serverName, 'orders.shop.svc');
  assert.equal(tls.caBundlePem, rootCertificates.join('\n'));
});

const mistakes: { name: string; yaml: string; problem: RegExp }[] = [
  { name: 'no expected identity', yaml: backend('orders', '  tls:\n    caBundle: {file: bundle.pem}\n'), problem: /expectedSpiffeId and\/or expectedDnsName/ },
  {
    name: 'an http:// endpoint with spec.tls',
    yaml: backend('orders', '  tls:\n    caBundle: {file: bundle.pem}\n    expectedDnsName: a\n').replace('https://', 'http://'),
    problem: /spec\.endpoints\[0\]\.url: spec\.tls is set: the endpoint must be https:\/\//,
  },
  { name: 'two bundle sources', yaml: backend('orders', '  tls:\n    caBundle: {file: bundle.pem, secretRef: {name: x}}\n    expectedDnsName: a\n'), problem: /exactly one of file, configMapRef or secretRef/ },
  { name: 'bundle file missing', yaml: backend('orders', '  tls:\n    caBundle: {file: nowhere.pem}\n    expectedDnsName: a\n'), problem: /spec\.tls\.caBundle: cannot read .*nowhere\.pem: ENOENT/ },
  { name: 'ConfigMap missing', yaml: backend('orders', '  tls:\n    caBundle: {configMapRef: {name: gone}}\n    expectedDnsName: a\n'), problem: /references ConfigMap "gone"/ },
  { name: 'policy targets an unknown Service', yaml: BUNDLE + policy('    wellKnownCACertificates: System\n    hostname: a\n', 'nothing'), problem: /Service "nothing", but no gatehouse.dev\/v1alpha1 Backend/ },
  { name: 'policy and spec.tls on one Backend', yaml: backend('orders', '  tls:\n    caBundle: {file: bundle.pem}\n    expectedDnsName: a\n') + policy('    wellKnownCACertificates: System\n    hostname: a\n'), problem: /sets spec\.tls itself/ },
  {
    name: 'two subjectAltNames',
    yaml: backend('orders') + policy('    wellKnownCACertificates: System\n    hostname: a\n    subjectAltNames: [{type: Hostname, hostname: a}, {type: Hostname, hostname: b}]\n'),
    problem: /one subjectAltName per backend/,
  },
];

for (const c of mistakes) {
  test(`backend TLS config problem: ${c.name}`, (t) => {
    assert.match(problemOf(t, c.yaml), c.problem);
  });
}
