// An HTTPS listener whose certificate comes from the directory CA (tls.options
// gatehouse.dev/certificate-ca-dir), over real sockets: clients verify it by the gateway's SPIFFE
// ID; client certificates are checked at the edge (valid, expired, revoked, foreign, wrong SPIFFE
// ID); and the short-lived listener certificate renews under traffic with no failed request.
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { mtlsFetch, PEER_IDENTITY_MISMATCH, workloadIdentityFromFiles, type WorkloadIdentity } from '../../packages/sdk/src/index.ts';
import { currentCrl } from '../../src/pki/crl.ts';
import type { IssuedCertificate } from '../../src/pki/issue-certificate.ts';
import { revokeCertificate } from '../../src/pki/revoke.ts';
import { createTestCa, PASSPHRASE, type TestCa } from '../pki/ca-fixture.ts';
import { startHarness, type Harness } from './gateway-harness.ts';
import { backendDocument, caBundleConfigMapDocument, pathRouteDocument } from '../support/gateway-documents.ts';

const DAY = 86_400_000;
const GATEWAY_ID = 'spiffe://cluster.local/ns/edge/sa/gateway';
let ca: TestCa;
let otherCa: TestCa;
let bundle: string;
let harness: Harness;
const clients: Record<string, IssuedCertificate> = {};
const identities: WorkloadIdentity[] = [];

before(async () => {
  ca = await createTestCa('cluster.local', new Date(Date.now() - 10 * DAY));
  otherCa = await createTestCa('cluster.local');
  await writeFile(join(ca.dir, 'passphrase'), PASSPHRASE, { mode: 0o600 });
  bundle = await readFile(join(ca.dir, 'bundle.pem'), 'utf8');
  const orders = 'spiffe://cluster.local/ns/shop/sa/orders';
  clients.orders = await ca.issue({ spiffeId: orders, name: 'orders' });
  clients.billing = await ca.issue({ spiffeId: 'spiffe://cluster.local/ns/shop/sa/billing', name: 'billing' });
  clients.expired = await ca.issue({ spiffeId: orders, name: 'orders', now: new Date(Date.now() - 5 * DAY), ttlSeconds: 3600 });
  clients.foreign = await otherCa.issue({ spiffeId: orders, name: 'orders' });
  clients.revoked = await ca.issue({ spiffeId: orders, name: 'orders' });
  await revokeCertificate(ca.store, PASSPHRASE, clients.revoked.serial);
  const crlFile = await ca.file('edge-crl.pem', await currentCrl(ca.store, PASSPHRASE));

  harness = await startHarness({
    configYaml: ({ echo }) => `${caBundleConfigMapDocument('mesh-ca', bundle)}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: edge}
spec:
  listeners:
  - name: https
    port: 8443
    protocol: HTTPS
    tls:
      frontendValidation: {caCertificateRefs: [{kind: ConfigMap, name: mesh-ca}]}
      options:
        gatehouse.dev/client-crl-file: "${crlFile}"
        gatehouse.dev/certificate-ca-dir: "${ca.dir}"
        gatehouse.dev/certificate-spiffe-id: "${GATEWAY_ID}"
        gatehouse.dev/certificate-dns-names: localhost
        gatehouse.dev/certificate-ttl: 9s
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
  - from: [{source: {principals: ["cluster.local/ns/shop/sa/orders"]}}]
`,
  });
});

after(async () => {
  for (const identity of identities) identity.close();
  await harness?.close();
  await ca.close();
  await otherCa.close();
});

const port = () => harness.gateway.listeners['edge/https'].port;

/** One request on a fresh connection: the status and the serial of the certificate the gateway served. */
function get(client: IssuedCertificate): Promise<{ status: number; serial: string } | 'refused'> {
  return new Promise((resolve) => {
    const req = request(
      { host: '127.0.0.1', port: port(), path: '/orders/1', servername: 'localhost', ca: bundle, agent: false, key: client.privateKeyPem, cert: client.chainPem },
      (res) => {
        const serial = (res.socket as import('node:tls').TLSSocket).getPeerCertificate().serialNumber.toLowerCase();
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, serial }));
      },
    );
    req.on('error', () => resolve('refused'));
    req.end();
  });
}

test('the CA-issued listener certificate names the gateway; edge client certificates are checked', async () => {
  const served = await get(clients.orders);
  assert.notEqual(served, 'refused');
  if (served === 'refused') return;
  assert.equal(served.status, 200);
  const record = await ca.store.readIssued(served.serial);
  assert.equal(record?.spiffeId, GATEWAY_ID, 'the listener serves a certificate this CA issued to the gateway');

  const cases: [string, number | 'refused'][] = [
    ['expired', 'refused'],
    ['revoked', 'refused'],
    ['foreign', 'refused'],
    ['billing', 403],
  ];
  for (const [name, expected] of cases) {
    const result = await get(clients[name]);
    assert.equal(result === 'refused' ? result : result.status, expected, name);
  }
});

test('an SDK client verifies the listener by SPIFFE ID', async () => {
  const identity = workloadIdentityFromFiles({
    certificateFile: await ca.file('orders.crt.pem', clients.orders.chainPem),
    keyFile: await ca.file('orders.key.pem', clients.orders.privateKeyPem as string),
    bundleFile: join(ca.dir, 'bundle.pem'),
  });
  identities.push(identity);
  await identity.ready;
  const url = `https://127.0.0.1:${port()}/orders/1`;
  const right = mtlsFetch({ identity, serverSpiffeId: GATEWAY_ID });
  const wrong = mtlsFetch({ identity, serverSpiffeId: 'spiffe://cluster.local/ns/edge/sa/impostor' });
  try {
    assert.equal((await right(url)).status, 200);
    await assert.rejects(wrong(url), { code: PEER_IDENTITY_MISMATCH });
  } finally {
    right.close();
    wrong.close();
  }
});

test('the listener certificate renews under traffic: new handshakes get the new one, no request fails', async () => {
  const serials = new Set<string>();
  const failures: string[] = [];
  // A 9 s certificate renews about every 6 s (3 s to spare on a busy machine); wait for two renewals.
  while (serials.size < 3) {
    const result = await get(clients.orders);
    if (result === 'refused' || result.status !== 200) failures.push(JSON.stringify(result));
    else serials.add(result.serial);
    if (failures.length > 0) break;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  assert.deepEqual(failures, []);
  for (const serial of serials) assert.equal((await ca.store.readIssued(serial))?.spiffeId, GATEWAY_ID);
});
