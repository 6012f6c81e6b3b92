import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { issueCertificate } from '../../src/pki/issue-certificate.ts';
import { createTestCa, openssl, PASSPHRASE, type TestCa } from './ca-fixture.ts';

let ca: TestCa;
before(async () => {
  ca = await createTestCa('example.org');
});
after(() => ca.close());

async function verifyWithOpenssl(chainPem: string, name: string) {
  const chainFile = await ca.file(`${name}.crt.pem`, chainPem);
  return openssl(['verify', '-CAfile', join(ca.dir, 'bundle.pem'), '-untrusted', chainFile, chainFile]);
}

test('a fresh leaf verifies with openssl against bundle.pem and carries the SPIFFE ID and DNS SANs', async () => {
  const issued = await ca.issue({ name: 'web', dnsNames: ['web.shop.svc', 'localhost'] });
  const verified = await verifyWithOpenssl(issued.chainPem, 'web');
  assert.ok(verified.ok, verified.output);

  const text = (await openssl(['x509', '-in', await ca.file('web-leaf.pem', issued.certificate.toString('pem')), '-noout', '-text'])).output;
  assert.match(text, /URI:spiffe:\/\/example\.org\/ns\/test\/sa\/web, DNS:web\.shop\.svc, DNS:localhost/);
  assert.match(text, /TLS Web Server Authentication, TLS Web Client Authentication/);
  assert.match(text, /Key Usage: critical\s+Digital Signature/);
  assert.match(text, /CA:FALSE/);
  assert.match(text, /Subject Key Identifier/);
  assert.match(text, /Authority Key Identifier/);
  assert.match(issued.serial, /^[0-9a-f]{32}$/);

  const record = JSON.parse(await readFile(join(ca.dir, 'issued', `${issued.serial}.json`), 'utf8'));
  assert.equal(record.spiffeId, 'spiffe://example.org/ns/test/sa/web');
  assert.deepEqual(record.dnsNames, ['web.shop.svc', 'localhost']);
});

test('the intermediate is a pathLen-0 CA limited to the trust domain by name constraints', async () => {
  const text = (await openssl(['x509', '-in', join(ca.dir, 'intermediate.crt.pem'), '-noout', '-text'])).output;
  assert.match(text, /CA:TRUE, pathlen:0/);
  assert.match(text, /Name Constraints: critical\s+Permitted:\s+URI:example\.org/);
  assert.match(text, /Certificate Sign, CRL Sign/);
});

test('lifetime: 24 h by default, backdated a minute for clock skew, never beyond the intermediate', async () => {
  const now = new Date();
  const issued = await ca.issue({ name: 'ttl', now });
  assert.equal(issued.certificate.notBefore.getTime(), Math.floor((now.getTime() - 60_000) / 1000) * 1000);
  assert.equal(issued.certificate.notAfter.getTime(), Math.floor((now.getTime() + 24 * 3600_000) / 1000) * 1000);

  const long = await ca.issue({ name: 'long', ttlSeconds: 400 * 86400 });
  const intermediate = new X509Certificate(await readFile(join(ca.dir, 'intermediate.crt.pem')));
  assert.equal(long.certificate.notAfter.getTime(), intermediate.validToDate.getTime());
});

test('CSR path: the workload keeps its key; the CA certifies the key in the request', async () => {
  const keyFile = join(ca.dir, '..', 'workload.key.pem');
  const csrFile = join(ca.dir, '..', 'workload.csr.pem');
  const made = await openssl(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', keyFile, '-out', csrFile, '-subj', '/CN=ignored']);
  assert.ok(made.ok, made.output);
  const issued = await issueCertificate(ca.store, PASSPHRASE, {
    spiffeId: 'spiffe://example.org/ns/test/sa/csr',
    dnsNames: ['csr.test.svc'],
    csrPem: await readFile(csrFile, 'utf8'),
  });
  assert.equal(issued.privateKeyPem, undefined);
  // The test reads the workload's key to compare public halves; the CA was only given the CSR.
  const workloadPublicKey = createPublicKey(createPrivateKey(await readFile(keyFile)));
  const certifiedKey = new X509Certificate(issued.certificate.toString('pem')).publicKey;
  assert.equal(certifiedKey.export({ format: 'pem', type: 'spki' }), workloadPublicKey.export({ format: 'pem', type: 'spki' }));
  const verified = await verifyWithOpenssl(issued.chainPem, 'csr');
  assert.ok(verified.ok, verified.output);
});

test('bad requests are refused with stable codes', async () => {
  const rsaKey = join(ca.dir, '..', 'weak.key.pem');
  const weakCsr = join(ca.dir, '..', 'weak.csr.pem');
  await openssl(['req', '-new', '-newkey', 'rsa:1024', '-nodes', '-keyout', rsaKey, '-out', weakCsr, '-subj', '/CN=weak']);
  const goodCsr = join(ca.dir, '..', 'good.csr.pem');
  await openssl(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(ca.dir, '..', 'good.key.pem'), '-out', goodCsr, '-subj', '/CN=good']);
  const der = Buffer.from((await readFile(goodCsr, 'utf8')).replace(/-----[^-]+-----|\s/g, ''), 'base64');
  der[der.length - 1] ^= 0x01; // the last byte of the ECDSA signature's s value
  const tamperedCsr = `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`;

  const spiffeId = 'spiffe://example.org/ns/test/sa/bad';
  const cases: [string, Parameters<typeof issueCertificate>[2], string][] = [
    ['other trust domain', { spiffeId: 'spiffe://other.org/ns/test/sa/x' }, 'ERR_SPIFFE_TRUST_DOMAIN_MISMATCH'],
    ['not a SPIFFE ID', { spiffeId: 'https://example.org/x' }, 'ERR_SPIFFE_ID_INVALID'],
    ['bad DNS name', { spiffeId, dnsNames: ['*.wild.example'] }, 'ERR_DNS_NAME_INVALID'],
    ['CSR signed by another key', { spiffeId, csrPem: tamperedCsr }, 'ERR_CSR_SIGNATURE_INVALID'],
    ['CSR that is not a CSR', { spiffeId, csrPem: 'hello' }, 'ERR_CSR_INVALID'],
    ['CSR with a weak RSA key', { spiffeId, csrPem: await readFile(weakCsr, 'utf8') }, 'ERR_CSR_KEY_UNSUPPORTED'],
  ];
  for (const [label, request, code] of cases) {
    await assert.rejects(issueCertificate(ca.store, PASSPHRASE, request), { code }, label);
  }
  await assert.rejects(issueCertificate(ca.store, 'wrong passphrase', { spiffeId }), { code: 'ERR_CA_KEY_LOCKED' });
});

test('CA keys at rest are encrypted PKCS#8 and do not load without the passphrase', async () => {
  for (const name of ['root.key.pem', 'intermediate.key.pem']) {
    const path = join(ca.dir, name);
    const pem = await readFile(path, 'utf8');
    assert.match(pem, /^-----BEGIN ENCRYPTED PRIVATE KEY-----/, name);
    assert.throws(() => createPrivateKey(pem), name);
    assert.throws(() => createPrivateKey({ key: pem, passphrase: 'wrong' }), name);
    assert.equal(createPrivateKey({ key: pem, passphrase: PASSPHRASE }).asymmetricKeyDetails?.namedCurve, 'prime256v1');
    assert.equal((await openssl(['pkey', '-in', path, '-passin', 'pass:wrong', '-noout'])).ok, false);
  }
});
