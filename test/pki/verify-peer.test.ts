import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { IssuedCertificate } from '../../src/pki/issue-certificate.ts';
import { splitPemCertificates } from '../../src/pki/pem-blocks.ts';
import { loadPeerTrust } from '../../src/pki/peer-trust.ts';
import { publishCrl } from '../../src/pki/crl.ts';
import { revokeCertificate } from '../../src/pki/revoke.ts';
import { verifyPeer, type PeerExpectation } from '../../src/pki/verify-peer.ts';
import { createTestCa, PASSPHRASE, type TestCa } from './ca-fixture.ts';

const DAY = 86_400_000;
let ca: TestCa;
let otherCa: TestCa;
before(async () => {
  // Created ten days ago so a leaf issued five days ago can already have expired.
  ca = await createTestCa('example.org', new Date(Date.now() - 10 * DAY));
  otherCa = await createTestCa('example.org');
});
after(async () => {
  await ca.close();
  await otherCa.close();
});

function chainOf(issued: IssuedCertificate): Buffer[] {
  return splitPemCertificates(issued.chainPem).map((pem) => Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64'));
}

async function trust(dir: string) {
  return loadPeerTrust({ bundle: await readFile(join(dir, 'bundle.pem'), 'utf8'), crl: await readFile(join(dir, 'crl.pem'), 'utf8') });
}

test('verifyPeer: a table of peers and expectations', async () => {
  const orders = await ca.issue({ name: 'orders', dnsNames: ['orders.shop.svc'] });
  const expired = await ca.issue({ name: 'old', now: new Date(Date.now() - 5 * DAY), ttlSeconds: 3600 });
  const notYet = await ca.issue({ name: 'future', now: new Date(Date.now() + DAY) });
  const stranger = await otherCa.issue({ name: 'orders', dnsNames: ['orders.shop.svc'] });
  const revoked = await ca.issue({ name: 'revoked' });
  await revokeCertificate(ca.store, PASSPHRASE, revoked.serial);
  const trusted = await trust(ca.dir);

  const ordersId = 'spiffe://example.org/ns/test/sa/orders';
  const cases: [string, Buffer[], PeerExpectation, string][] = [
    ['valid leaf, expected SPIFFE ID', chainOf(orders), { spiffeId: ordersId }, 'ok'],
    ['valid leaf, expected DNS name', chainOf(orders), { dnsName: 'orders.shop.svc' }, 'ok'],
    ['wrong SPIFFE ID', chainOf(orders), { spiffeId: 'spiffe://example.org/ns/test/sa/payments' }, 'peer_identity_mismatch'],
    ['wrong DNS name', chainOf(orders), { dnsName: 'payments.shop.svc' }, 'peer_identity_mismatch'],
    ['expired leaf', chainOf(expired), { spiffeId: 'spiffe://example.org/ns/test/sa/old' }, 'peer_certificate_expired'],
    ['leaf not yet valid', chainOf(notYet), { spiffeId: 'spiffe://example.org/ns/test/sa/future' }, 'peer_certificate_not_yet_valid'],
    ['leaf from another CA, same SPIFFE ID', chainOf(stranger), { spiffeId: ordersId }, 'peer_certificate_untrusted'],
    ['leaf without its intermediate', chainOf(orders).slice(0, 1), { spiffeId: ordersId }, 'peer_certificate_untrusted'],
    ['revoked leaf', chainOf(revoked), { spiffeId: 'spiffe://example.org/ns/test/sa/revoked' }, 'peer_certificate_revoked'],
    ['no certificate', [], { spiffeId: ordersId }, 'peer_certificate_missing'],
  ];
  for (const [label, chain, expected, code] of cases) {
    const result = await verifyPeer(chain, trusted, expected);
    assert.equal(result.ok ? 'ok' : result.code, code, label);
  }
  const accepted = await verifyPeer(chainOf(orders), trusted, { spiffeId: ordersId });
  assert.deepEqual(accepted, { ok: true, serial: orders.serial, spiffeIds: [ordersId], dnsNames: ['orders.shop.svc'] });
});

test('verifyPeer fails closed when the CRL is missing or stale, and builds chains from known intermediates', async () => {
  const leaf = await ca.issue({ name: 'crl', ttlSeconds: 30 * 86400 });
  const bundle = await readFile(join(ca.dir, 'bundle.pem'), 'utf8');
  const crl = await publishCrl(ca.store, PASSPHRASE); // valid for 7 days
  const expected = { spiffeId: 'spiffe://example.org/ns/test/sa/crl' };
  const noCrl = await verifyPeer(chainOf(leaf), loadPeerTrust({ bundle, crl: '' }), expected);
  assert.equal(noCrl.ok ? 'ok' : noCrl.code, 'peer_revocation_unknown');
  const stale = await verifyPeer(chainOf(leaf), loadPeerTrust({ bundle, crl }), expected, new Date(Date.now() + 8 * DAY));
  assert.equal(stale.ok ? 'ok' : stale.code, 'peer_revocation_unknown');
  // Without a CRL configured, revocation is not checked.
  assert.equal((await verifyPeer(chainOf(leaf), loadPeerTrust({ bundle }), expected)).ok, true);
  // A server-side socket exposes only the leaf: the CA's intermediates complete the chain.
  const withIntermediates = loadPeerTrust({ bundle, crl, intermediates: leaf.chainPem });
  assert.equal((await verifyPeer(chainOf(leaf).slice(0, 1), withIntermediates, expected)).ok, true);
  await assert.rejects(verifyPeer(chainOf(leaf), withIntermediates, {}), { code: 'ERR_PEER_EXPECTATION_MISSING' });
});
