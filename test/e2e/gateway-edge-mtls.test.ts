// Client certificates at the edge over real sockets: a Gateway HTTPS listener with Gateway API
// tls.frontendValidation (CA bundle from a ConfigMap, CRL via tls.options), certificates from the
// real directory CA, and an Istio AuthorizationPolicy naming the client's SPIFFE identity.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { request } from 'node:https';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { currentCrl } from '../../src/pki/crl.ts';
import type { IssuedCertificate } from '../../src/pki/issue-certificate.ts';
import { revokeCertificate } from '../../src/pki/revoke.ts';
import { createTestCa, PASSPHRASE, type TestCa } from '../pki/ca-fixture.ts';
import { startHarness, type Harness } from './gateway-harness.ts';
import { backendDocument, caBundleConfigMapDocument, pathRouteDocument, tlsSecretDocument } from '../support/gateway-documents.ts';

let ca: TestCa;
let otherCa: TestCa;
let bundle: string;
let harness: Harness;
const clients: Record<string, IssuedCertificate> = {};

before(async () => {
  ca = await createTestCa('cluster.local');
  otherCa = await createTestCa('cluster.local');
  bundle = await readFile(join(ca.dir, 'bundle.pem'), 'utf8');
  const server = await ca.issue({ name: 'gateway' });
  clients.orders = await ca.issue({ spiffeId: 'spiffe://cluster.local/ns/shop/sa/orders', name: 'orders' });
  clients.billing = await ca.issue({ spiffeId: 'spiffe://cluster.local/ns/shop/sa/billing', name: 'billing' });
  clients.foreign = await otherCa.issue({ spiffeId: 'spiffe://cluster.local/ns/shop/sa/orders', name: 'orders' });
  clients.revoked = await ca.issue({ spiffeId: 'spiffe://cluster.local/ns/shop/sa/orders', name: 'orders' });
  await revokeCertificate(ca.store, PASSPHRASE, clients.revoked.serial);
  const crlFile = await ca.file('crl.pem', await currentCrl(ca.store, PASSPHRASE));

  harness = await startHarness({
    configYaml: ({ echo }) => `${tlsSecretDocument('edge-cert', server.chainPem, server.privateKeyPem as string)}
---
${caBundleConfigMapDocument('mesh-ca', bundle)}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: edge}
spec:
  listeners:
  - name: strict
    port: 8443
    protocol: HTTPS
    tls:
      certificateRefs: [{name: edge-cert}]
      frontendValidation: {caCertificateRefs: [{kind: ConfigMap, name: mesh-ca}]}
      options: {gatehouse.dev/client-crl-file: "${crlFile}"}
  - name: fallback
    port: 8444
    protocol: HTTPS
    tls:
      certificateRefs: [{name: edge-cert}]
      frontendValidation: {caCertificateRefs: [{kind: ConfigMap, name: mesh-ca}], mode: AllowInsecureFallback}
---
${backendDocument('echo', echo)}
---
${pathRouteDocument({ name: 'orders-api', pathPrefix: '/orders', backend: 'echo' })}
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: only-orders}
spec:
  targetRefs: [{kind: HTTPRoute, name: orders-api}]
  action: ALLOW
  rules:
  - from: [{source: {principals: ["cluster.local/ns/shop/sa/orders"], namespaces: ["shop"]}}]
`,
  });
});

after(async () => {
  await harness?.close();
  await ca.close();
  await otherCa.close();
});

/** One request on a fresh connection; `refused` when the TLS handshake failed. */
function get(listener: string, client: IssuedCertificate | undefined): Promise<number | 'refused'> {
  const { port } = harness.gateway.listeners[`edge/${listener}`];
  return new Promise((resolve) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/orders/1',
        servername: 'localhost',
        ca: bundle,
        agent: false,
        ...(client && { key: client.privateKeyPem, cert: client.chainPem }),
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    // TLS 1.3: a refused client certificate arrives as an alert after the client's Finished.
    req.on('error', () => resolve('refused'));
    req.end();
  });
}

test('edge mTLS: the client certificate is verified at the handshake and its SPIFFE ID is the AuthorizationPolicy principal', async () => {
  const cases: [listener: string, client: string | undefined, expected: number | 'refused'][] = [
    ['strict', 'orders', 200],
    ['strict', 'billing', 403],
    ['strict', undefined, 'refused'],
    ['strict', 'foreign', 'refused'],
    ['strict', 'revoked', 'refused'],
    ['fallback', 'orders', 200],
    ['fallback', 'billing', 403],
    ['fallback', undefined, 403],
    ['fallback', 'foreign', 403],
  ];
  for (const [listener, client, expected] of cases) {
    assert.equal(await get(listener, client === undefined ? undefined : clients[client]), expected, `${listener} listener, client ${client ?? '(no certificate)'}`);
  }
});
