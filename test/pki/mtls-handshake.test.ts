// Real node:tls mutual-TLS handshakes on 127.0.0.1 between workloads holding CA-issued leaves.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { currentCrl } from '../../src/pki/crl.ts';
import type { IssuedCertificate } from '../../src/pki/issue-certificate.ts';
import { splitPem } from '../../src/pki/pem-blocks.ts';
import { loadPeerTrust } from '../../src/pki/peer-trust.ts';
import { revokeCertificate } from '../../src/pki/revoke.ts';
import { verifyPeer } from '../../src/pki/verify-peer.ts';
import { createTestCa, mtlsHandshake, PASSPHRASE, type TestCa, type TlsPeer } from './ca-fixture.ts';

const DAY = 86_400_000;
let ca: TestCa;
let otherCa: TestCa;
let bundle: string;
before(async () => {
  ca = await createTestCa('example.org', new Date(Date.now() - 10 * DAY));
  otherCa = await createTestCa('example.org');
  bundle = await readFile(join(ca.dir, 'bundle.pem'), 'utf8');
});
after(async () => {
  await ca.close();
  await otherCa.close();
});

function peer(issued: IssuedCertificate, extra: Partial<TlsPeer> = {}): TlsPeer {
  return { key: issued.privateKeyPem as string, cert: issued.chainPem, ca: bundle, ...extra };
}

test('two workloads with issued leaves complete an mTLS handshake; the server sees the client SPIFFE ID', async () => {
  const server = await ca.issue({ name: 'server' });
  const client = await ca.issue({ name: 'client' });
  const result = await mtlsHandshake(peer(server), peer(client));
  assert.equal(result.ok, true, JSON.stringify(result));

  // The CA was created ten days ago: currentCrl re-signs its stale CRL, as `ca crl` does.
  const trust = loadPeerTrust({ bundle, intermediates: server.chainPem, crl: await currentCrl(ca.store, PASSPHRASE) });
  const verified = await verifyPeer(result.clientChain ?? [], trust, { spiffeId: 'spiffe://example.org/ns/test/sa/client' });
  assert.equal(verified.ok, true, JSON.stringify(verified));
});

test('handshakes are refused for expired, foreign and revoked certificates', async () => {
  const good = await ca.issue({ name: 'good' });
  const expired = await ca.issue({ name: 'expired', now: new Date(Date.now() - 5 * DAY), ttlSeconds: 3600 });
  const foreign = await otherCa.issue({ name: 'good' });
  const revoked = await ca.issue({ name: 'revoked' });
  await revokeCertificate(ca.store, PASSPHRASE, revoked.serial);
  // Node's `crl` option reads one CRL per entry: pass crl.pem's blocks (root's and intermediate's).
  const crl = splitPem(await readFile(join(ca.dir, 'crl.pem'), 'utf8'), 'X509 CRL');

  const cases: [string, TlsPeer, TlsPeer, { clientError?: string; serverError?: string }][] = [
    ['expired server certificate', peer(expired), peer(good), { clientError: 'CERT_HAS_EXPIRED' }],
    ['expired client certificate', peer(good), peer(expired), { serverError: 'CERT_HAS_EXPIRED' }],
    ['server certificate from another CA', peer(foreign), peer(good), { clientError: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY' }],
    ['client certificate from another CA', peer(good), peer(foreign), { serverError: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY' }],
    ['revoked client certificate, server has the CRL', peer(good, { crl }), peer(revoked), { serverError: 'CERT_REVOKED' }],
  ];
  for (const [label, server, client, expected] of cases) {
    const result = await mtlsHandshake(server, client);
    assert.equal(result.ok, false, label);
    if (expected.clientError) assert.equal(result.clientError, expected.clientError, label);
    if (expected.serverError) assert.equal(result.serverError, expected.serverError, label);
  }
  // The same server with the CRL still accepts a good client.
  assert.equal((await mtlsHandshake(peer(good, { crl }), peer(good))).ok, true);
});
