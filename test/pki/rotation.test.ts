// Trust-bundle rotation: new authorities are published before they sign, and certificates
// issued before a rotation keep verifying (openssl, verifyPeer and real mTLS handshakes).
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { currentCrl } from '../../src/pki/crl.ts';
import type { IssuedCertificate } from '../../src/pki/issue-certificate.ts';
import { splitPem, splitPemCertificates } from '../../src/pki/pem-blocks.ts';
import { loadPeerTrust } from '../../src/pki/peer-trust.ts';
import { revokeCertificate } from '../../src/pki/revoke.ts';
import { rotateAuthority } from '../../src/pki/trust-bundle.ts';
import { verifyPeer } from '../../src/pki/verify-peer.ts';
import { createTestCa, mtlsHandshake, openssl, PASSPHRASE, type TestCa } from './ca-fixture.ts';

const DAY = 86_400_000;
let ca: TestCa;
beforeEach(async () => {
  ca = await createTestCa('example.org');
});
afterEach(() => ca.close());

const bundle = () => readFile(join(ca.dir, 'bundle.pem'), 'utf8');

async function opensslVerify(issued: IssuedCertificate, name: string) {
  const chainFile = await ca.file(`${name}.crt.pem`, issued.chainPem);
  const crlFile = await ca.file(`${name}.crl.pem`, await currentCrl(ca.store, PASSPHRASE));
  return openssl(['verify', '-crl_check_all', '-CRLfile', crlFile, '-CAfile', join(ca.dir, 'bundle.pem'), '-untrusted', chainFile, chainFile]);
}

async function handshakeBothWays(a: IssuedCertificate, b: IssuedCertificate): Promise<boolean> {
  const trust = await bundle();
  const peer = (issued: IssuedCertificate) => ({ key: issued.privateKeyPem as string, cert: issued.chainPem, ca: trust });
  return (await mtlsHandshake(peer(a), peer(b))).ok && (await mtlsHandshake(peer(b), peer(a))).ok;
}

test('rotating the intermediate: old and new leaves both verify and handshake with each other', async () => {
  const old = await ca.issue({ name: 'old' });
  const bundleBefore = await bundle();
  const result = await rotateAuthority(ca.store, PASSPHRASE);
  assert.equal(await bundle(), bundleBefore, 'same root, same bundle');
  const fresh = await ca.issue({ name: 'fresh' });
  assert.notEqual(fresh.certificate.issuer, old.certificate.issuer);
  assert.equal(fresh.record.issuerSerial, result.intermediateSerial);

  for (const [issued, name] of [[old, 'old'], [fresh, 'fresh']] as const) {
    const verified = await opensslVerify(issued, name);
    assert.ok(verified.ok, `${name}: ${verified.output}`);
  }
  assert.equal(await handshakeBothWays(old, fresh), true);

  // The retired intermediate still signs its CRL: revoking an old leaf still takes effect.
  assert.equal(splitPem(await currentCrl(ca.store, PASSPHRASE), 'X509 CRL').length, 3, 'root + two intermediates');
  await revokeCertificate(ca.store, PASSPHRASE, old.serial);
  assert.match((await opensslVerify(old, 'old-revoked')).output, /certificate revoked/);
  assert.ok((await opensslVerify(fresh, 'fresh-after')).ok);
});

test('rotating the root: the new root is in the bundle beside the old one, and both generations interoperate', async () => {
  const old = await ca.issue({ name: 'old' });
  await rotateAuthority(ca.store, PASSPHRASE, { newRoot: true });
  const roots = splitPemCertificates(await bundle());
  assert.equal(roots.length, 2);
  const fresh = await ca.issue({ name: 'fresh' });

  for (const [issued, name] of [[old, 'old'], [fresh, 'fresh']] as const) {
    const verified = await opensslVerify(issued, name);
    assert.ok(verified.ok, `${name}: ${verified.output}`);
    const trust = loadPeerTrust({ bundle: await bundle(), crl: await currentCrl(ca.store, PASSPHRASE) });
    const checked = await verifyPeer(splitPemCertificates(issued.chainPem).map((pem) => Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64')), trust, {
      spiffeId: `spiffe://example.org/ns/test/sa/${name}`,
    });
    assert.equal(checked.ok, true, `${name}: ${JSON.stringify(checked)}`);
  }
  assert.equal(await handshakeBothWays(old, fresh), true);
});

test('an old root leaves the bundle once no unexpired intermediate chains to it', async () => {
  const start = new Date();
  await rotateAuthority(ca.store, PASSPHRASE, { newRoot: true, now: start });
  assert.equal(splitPemCertificates(await bundle()).length, 2);
  // A year and a month later every intermediate of the first root has expired.
  await rotateAuthority(ca.store, PASSPHRASE, { now: new Date(start.getTime() + 400 * DAY) });
  const remaining = splitPemCertificates(await bundle());
  assert.equal(remaining.length, 1);
  assert.equal(remaining[0], await readFile(join(ca.dir, 'root.crt.pem'), 'utf8'));
});
