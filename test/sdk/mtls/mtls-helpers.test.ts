// The SDK's mTLS helpers over real loopback sockets, with workload files from a directory CA:
// createMtlsServer refuses clients that are expired, revoked, from another CA or not allowed;
// mtlsFetch refuses servers that are expired, revoked, from another CA or the wrong SPIFFE ID.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import type { Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { createMtlsServer, mtlsFetch, peerSpiffeId, PEER_IDENTITY_MISMATCH, workloadIdentityFromFiles, type WorkloadIdentity } from '../../../packages/sdk/src/index.ts';
import { currentCrl } from '../../../src/pki/crl.ts';
import type { IssuedCertificate } from '../../../src/pki/issue-certificate.ts';
import { revokeCertificate } from '../../../src/pki/revoke.ts';
import { createTestCa, PASSPHRASE, type TestCa } from '../../pki/ca-fixture.ts';

const DAY = 86_400_000;
const id = (name: string) => `spiffe://example.org/ns/test/sa/${name}`;
let ca: TestCa;
let otherCa: TestCa;
const opened: WorkloadIdentity[] = [];
const servers: Server[] = [];

before(async () => {
  // Ten days old, so a leaf can have expired while its issuer is still valid.
  ca = await createTestCa('example.org', new Date(Date.now() - 10 * DAY));
  otherCa = await createTestCa('example.org');
});
after(async () => {
  for (const identity of opened) identity.close();
  for (const server of servers) server.close();
  await ca.close();
  await otherCa.close();
});

let fileCount = 0;
async function identityOf(issued: IssuedCertificate): Promise<WorkloadIdentity> {
  const name = `w${fileCount++}`;
  const identity = workloadIdentityFromFiles({
    certificateFile: await ca.file(`${name}.crt.pem`, issued.chainPem),
    keyFile: await ca.file(`${name}.key.pem`, issued.privateKeyPem as string),
    bundleFile: `${ca.dir}/bundle.pem`,
    crlFile: await ca.file(`${name}.crl.pem`, await currentCrl(ca.store, PASSPHRASE)),
  });
  opened.push(identity);
  await identity.ready;
  return identity;
}

let handled = 0;
async function serve(identity: WorkloadIdentity, allowed = [id('client')]): Promise<string> {
  const server = createMtlsServer({ identity, allowedSpiffeIds: allowed }, (req, res) => {
    handled++;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ caller: peerSpiffeId(req) }));
  });
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `https://127.0.0.1:${(server.address() as AddressInfo).port}/hello`;
}

async function call(client: WorkloadIdentity, url: string, serverSpiffeId = id('server')) {
  const fetcher = mtlsFetch({ identity: client, serverSpiffeId });
  try {
    const response = await fetcher(url);
    return { status: response.status, body: await response.json() };
  } catch (error) {
    return { error: (error as NodeJS.ErrnoException).code ?? (error as Error).message };
  } finally {
    fetcher.close();
  }
}

test('a valid client reaches a valid server, which sees the client SPIFFE ID', async () => {
  const server = await identityOf(await ca.issue({ name: 'server' }));
  const client = await identityOf(await ca.issue({ name: 'client' }));
  assert.deepEqual(await call(client, await serve(server)), { status: 200, body: { caller: id('client') } });
});

test('the server refuses expired, revoked, foreign and not-allowed clients', async () => {
  const url = await serve(await identityOf(await ca.issue({ name: 'server' })));
  const revokedLeaf = await ca.issue({ name: 'client' });
  await revokeCertificate(ca.store, PASSPHRASE, revokedLeaf.serial);
  // The server's CRL is read when its identity loads: start one that knows about the revocation.
  const urlWithCrl = await serve(await identityOf(await ca.issue({ name: 'server' })));
  const before = handled;
  const cases: [string, IssuedCertificate, string][] = [
    ['expired client', await ca.issue({ name: 'client', now: new Date(Date.now() - 5 * DAY), ttlSeconds: 3600 }), url],
    ['client from another CA', await otherCa.issue({ name: 'client' }), url],
    ['revoked client', revokedLeaf, urlWithCrl],
  ];
  for (const [label, leaf, target] of cases) {
    const identity = label === 'client from another CA' ? await otherIdentity(leaf) : await identityOf(leaf);
    const result = await call(identity, target);
    assert.ok('error' in result, `${label}: ${JSON.stringify(result)}`);
  }
  assert.equal(handled, before, 'no refused client reached the handler');
  const stranger = await identityOf(await ca.issue({ name: 'stranger' }));
  assert.deepEqual(await call(stranger, url), { status: 403, body: { error: 'ERR_GATEHOUSE_PEER_NOT_ALLOWED', message: 'this caller may not use this service' } });
});

test('the client refuses expired, revoked and foreign servers, and a server with another SPIFFE ID', async () => {
  const client = await identityOf(await ca.issue({ name: 'client' }));
  const revokedLeaf = await ca.issue({ name: 'server' });
  await revokeCertificate(ca.store, PASSPHRASE, revokedLeaf.serial);
  const revokedAware = await identityOf(await ca.issue({ name: 'client' }));
  const cases: [string, WorkloadIdentity, WorkloadIdentity, string | RegExp][] = [
    ['expired server', await identityOf(await ca.issue({ name: 'server', now: new Date(Date.now() - 5 * DAY), ttlSeconds: 3600 })), client, 'CERT_HAS_EXPIRED'],
    ['server from another CA', await otherIdentity(await otherCa.issue({ name: 'server' })), client, /^(UNABLE_TO_GET_ISSUER_CERT_LOCALLY|UNABLE_TO_GET_CRL)$/],
    ['revoked server', await identityOf(revokedLeaf), revokedAware, 'CERT_REVOKED'],
    ['server with another SPIFFE ID', await identityOf(await ca.issue({ name: 'impostor' })), client, PEER_IDENTITY_MISMATCH],
  ];
  // With a CRL loaded, OpenSSL may fail a foreign chain on its missing CRL before its missing issuer.
  for (const [label, server, caller, code] of cases) {
    const result = await call(caller, await serve(server));
    assert.ok('error' in result, label);
    if (typeof code === 'string') assert.equal(result.error, code, label);
    else assert.match(String(result.error), code, label);
  }
});

/** A workload of the other CA trusts that CA's bundle (it is refused by ours, not by itself). */
async function otherIdentity(issued: IssuedCertificate): Promise<WorkloadIdentity> {
  const name = `o${fileCount++}`;
  const identity = workloadIdentityFromFiles({
    certificateFile: await otherCa.file(`${name}.crt.pem`, issued.chainPem),
    keyFile: await otherCa.file(`${name}.key.pem`, issued.privateKeyPem as string),
    bundleFile: `${ca.dir}/bundle.pem`,
  });
  opened.push(identity);
  await identity.ready;
  return identity;
}

test('a rewritten certificate file is picked up on refresh and presented to new connections', async () => {
  const url = await serve(await identityOf(await ca.issue({ name: 'server' })), [id('client'), id('client-v2')]);
  const first = await ca.issue({ name: 'client' });
  const certificateFile = await ca.file('rotating.crt.pem', first.chainPem);
  const keyFile = await ca.file('rotating.key.pem', first.privateKeyPem as string);
  const identity = workloadIdentityFromFiles({ certificateFile, keyFile, bundleFile: `${ca.dir}/bundle.pem`, pollIntervalMs: 60_000 });
  opened.push(identity);
  await identity.ready;
  const fetcher = mtlsFetch({ identity, serverSpiffeId: id('server') });
  try {
    assert.deepEqual(await (await fetcher(url)).json(), { caller: id('client') });
    const second = await ca.issue({ name: 'client-v2' });
    await writeFile(keyFile, second.privateKeyPem as string);
    await writeFile(certificateFile, second.chainPem);
    await identity.refresh();
    assert.equal(identity.current().spiffeId, id('client-v2'));
    assert.deepEqual(await (await fetcher(url)).json(), { caller: id('client-v2') });
  } finally {
    fetcher.close();
  }
});
