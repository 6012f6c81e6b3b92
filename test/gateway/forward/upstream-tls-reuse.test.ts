// Upstream TLS across reloads: an endpoint whose TLS settings are unchanged keeps its pool (the
// same verified connection, the same client certificate); changed settings get a new pool.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Upstreams } from '../../../src/gateway/forward/upstreams.ts';
import type { BackendTls } from '../../../src/model/gateway-model.ts';
import { createTestCa, type TestCa } from '../../pki/ca-fixture.ts';
import { startMtlsUpstream, type MtlsUpstream } from '../../e2e/mtls-upstream.ts';
import { backend, closeAfterTests, json, send, startProxy } from './proxy-harness.ts';

const track = closeAfterTests();
let ca: TestCa;
let upstream: MtlsUpstream;

before(async () => {
  ca = await createTestCa('example.org');
  const server = await ca.issue({ name: 'orders' });
  const bundle = await readFile(join(ca.dir, 'bundle.pem'), 'utf8');
  upstream = await startMtlsUpstream({ key: server.privateKeyPem as string, cert: server.chainPem, ca: bundle });
});

after(async () => {
  await upstream.close();
  await ca.close();
});

async function tlsWithClient(name: string): Promise<BackendTls> {
  const client = await ca.issue({ name });
  return {
    caBundlePem: await readFile(join(ca.dir, 'bundle.pem'), 'utf8'),
    crlPems: [],
    expectedSpiffeId: 'spiffe://example.org/ns/test/sa/orders',
    clientCertificate: { kind: 'pem', certificatePem: client.chainPem, privateKeyPem: client.privateKeyPem as string },
  };
}

test('unchanged TLS settings keep the pool across a reload; a new client certificate opens a new pool', async () => {
  const gatewayTls = await tlsWithClient('gateway');
  let current = new Upstreams([backend('orders', [upstream.url], { tls: gatewayTls })]);
  const proxy = await track(startProxy(() => current, { backend: 'orders' }));
  const seenBy = async () => (json(await send(proxy.origin, '/')) as { subjectAltName: string }).subjectAltName;
  assert.match(await seenBy(), /sa\/gateway/);

  const reload = async (tls: BackendTls) => {
    const previous = current;
    current = new Upstreams([backend('orders', [upstream.url], { tls })], { previous });
    await previous.close();
  };
  await reload(structuredClone(gatewayTls));
  assert.match(await seenBy(), /sa\/gateway/);
  assert.equal(upstream.handshakes, 1, 'the reloaded generation reused the verified keep-alive connection');

  await reload(await tlsWithClient('gateway-v2'));
  assert.match(await seenBy(), /sa\/gateway-v2/);
  assert.equal(upstream.handshakes, 2);
  await track(current);
});
