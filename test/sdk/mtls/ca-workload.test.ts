// Workloads that get their certificates from the CA endpoint (join token, CSR): traffic keeps
// flowing while both ends renew and while the CA rotates its root — zero failed requests —
// and a revocation published in the CRL reaches the server on refresh.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { createMtlsServer, mtlsFetch, peerSpiffeId, workloadIdentityFromCa, type WorkloadIdentity } from '../../../packages/sdk/src/index.ts';
import { revokeCertificate } from '../../../src/pki/revoke.ts';
import { rotateAuthority } from '../../../src/pki/trust-bundle.ts';
import { startTestCaService, type TestCaService } from '../../pki/ca-service-fixture.ts';

const id = (name: string) => `spiffe://example.org/ns/test/sa/${name}`;
let service: TestCaService;
let server: Server;
let serverIdentity: WorkloadIdentity;
let url: string;
const identities: WorkloadIdentity[] = [];

async function workload(name: string): Promise<WorkloadIdentity> {
  const identity = workloadIdentityFromCa({ caUrl: service.url, joinToken: await service.joinToken(name), ttlSeconds: 3600 });
  identities.push(identity);
  await identity.ready;
  return identity;
}

before(async () => {
  service = await startTestCaService();
  serverIdentity = await workload('server');
  server = createMtlsServer({ identity: serverIdentity }, (req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(peerSpiffeId(req));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
after(async () => {
  for (const identity of identities) identity.close();
  server.closeAllConnections();
  server.close();
  await service.close();
});

test('the join token in a workload identity is spent: a second workload with it never becomes ready', async () => {
  const joinToken = await service.joinToken('once');
  const first = workloadIdentityFromCa({ caUrl: service.url, joinToken });
  const second = workloadIdentityFromCa({ caUrl: service.url, joinToken });
  identities.push(first, second);
  await first.ready;
  assert.equal(first.current().spiffeId, id('once'));
  await assert.rejects(second.ready, { code: 'ERR_GATEHOUSE_CA_REFUSED', caError: 'ERR_JOIN_TOKEN_INVALID' });
});

test('renewals on both ends and a root rotation under traffic: zero failed requests', async () => {
  const client = await workload('client');
  const fetcher = mtlsFetch({ identity: client, serverSpiffeId: id('server') });
  const failures: string[] = [];
  let succeeded = 0;
  let running = true;
  const worker = async () => {
    while (running) {
      try {
        const response = await fetcher(url);
        const caller = await response.text();
        if (response.status === 200 && caller === id('client')) succeeded++;
        else failures.push(`${response.status} ${caller}`);
      } catch (error) {
        failures.push(String((error as NodeJS.ErrnoException).code ?? error));
      }
    }
  };
  const workers = Array.from({ length: 4 }, worker);
  try {
    const presented = new Set<string>();
    const keys = new Set<string>();
    const step = async (action: () => Promise<unknown>) => {
      const before = succeeded;
      await action();
      // Let traffic run on the new material before the next change.
      while (succeeded < before + 20 && failures.length === 0) await new Promise((resolve) => setImmediate(resolve));
    };
    for (let round = 0; round < 3; round++) {
      await step(() => client.renew());
      await step(() => serverIdentity.renew());
      presented.add(client.current().certificatePem);
      keys.add(client.current().privateKeyPem);
    }
    assert.equal(presented.size, 3, 'the client presented three successive certificates');
    assert.equal(keys.size, 3, 'each renewal moved to a new key');

    // Rotation with a new root: both learn the new bundle first, then move to new leaves.
    await step(() => rotateAuthority(service.ca, service.passphrase, { newRoot: true }));
    await step(() => Promise.all([client.refresh(), serverIdentity.refresh()]));
    assert.equal((client.current().bundlePem.match(/BEGIN CERTIFICATE/g) ?? []).length, 2);
    await step(() => serverIdentity.renew());
    await step(() => client.renew());
  } finally {
    running = false;
    await Promise.all(workers);
    fetcher.close();
  }
  assert.deepEqual(failures, []);
  assert.ok(succeeded > 100, `${succeeded} requests succeeded`);
});

test('a revoked client is refused once the server has refreshed its CRL', async () => {
  const client = await workload('client');
  const leaf = new (await import('node:crypto')).X509Certificate(client.current().certificatePem);
  const call = async () => {
    const fetcher = mtlsFetch({ identity: client, serverSpiffeId: id('server') });
    try {
      return (await fetcher(url)).status;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code ?? 'error';
    } finally {
      fetcher.close();
    }
  };
  assert.equal(await call(), 200);
  await revokeCertificate(service.ca, service.passphrase, leaf.serialNumber);
  await serverIdentity.refresh();
  assert.notEqual(await call(), 200);
  // The revoked certificate cannot be renewed either.
  await assert.rejects(client.renew(), { code: 'ERR_GATEHOUSE_CA_REFUSED', caError: 'ERR_CA_CERTIFICATE_REFUSED' });
});

test('a certificate longer than a timer can wait (60 days) is renewed once, not in a loop', async (t) => {
  const longLived = await startTestCaService({ maxTtlSeconds: 90 * 86_400 });
  t.after(() => longLived.close());
  const overflows: string[] = [];
  const onWarning = (warning: Error) => {
    if (warning.name === 'TimeoutOverflowWarning') overflows.push(warning.message);
  };
  process.on('warning', onWarning);
  t.after(() => process.off('warning', onWarning));
  let issued = 0;
  const identity = workloadIdentityFromCa({ caUrl: longLived.url, joinToken: await longLived.joinToken('long'), ttlSeconds: 60 * 86_400, onIssued: () => issued++ });
  identities.push(identity);
  await identity.ready;
  assert.ok(identity.current().notAfter.getTime() - Date.now() > 50 * 86_400_000, 'the CA issued a long-lived certificate');
  // Warnings are emitted on a later tick; a zero-delay renewal would also have run by then.
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.deepEqual(overflows, []);
  assert.equal(issued, 1);
});
