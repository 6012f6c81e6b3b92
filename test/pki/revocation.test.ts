import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { listIssuedCertificates } from '../../src/cli/ca-list.ts';
import { currentCrl } from '../../src/pki/crl.ts';
import { splitPem } from '../../src/pki/pem-blocks.ts';
import type { IssuedCertificate } from '../../src/pki/issue-certificate.ts';
import { revokeCertificate } from '../../src/pki/revoke.ts';
import { createTestCa, openssl, PASSPHRASE, type TestCa } from './ca-fixture.ts';

let ca: TestCa;
before(async () => {
  ca = await createTestCa('example.org');
});
after(() => ca.close());

async function opensslCrlCheck(issued: IssuedCertificate, name: string, flag = '-crl_check') {
  const chainFile = await ca.file(`${name}.crt.pem`, issued.chainPem);
  const crlFile = await ca.file(`${name}.crl.pem`, await currentCrl(ca.store, PASSPHRASE));
  return openssl(['verify', flag, '-CRLfile', crlFile, '-CAfile', join(ca.dir, 'bundle.pem'), '-untrusted', chainFile, chainFile]);
}

test('a revoked leaf fails openssl verify -crl_check; other leaves still pass', async () => {
  const revoked = await ca.issue({ name: 'revoked' });
  const kept = await ca.issue({ name: 'kept' });
  assert.ok((await opensslCrlCheck(revoked, 'before')).ok);

  // The serial as openssl prints it: upper case with colons.
  const opensslSerial = revoked.serial.toUpperCase().match(/../g)?.join(':') as string;
  const result = await revokeCertificate(ca.store, PASSPHRASE, opensslSerial);
  assert.equal(result.newlyRevoked, true);
  assert.equal(result.record.serial, revoked.serial);

  for (const flag of ['-crl_check', '-crl_check_all']) {
    const refused = await opensslCrlCheck(revoked, `after${flag}`, flag);
    assert.equal(refused.ok, false, flag);
    assert.match(refused.output, /certificate revoked/, flag);
    const accepted = await opensslCrlCheck(kept, `kept${flag}`, flag);
    assert.ok(accepted.ok, accepted.output);
  }
  const listing = await listIssuedCertificates(ca.store);
  assert.match(listing, new RegExp(`${revoked.serial}\\s+revoked\\s`));
  assert.match(listing, new RegExp(`${kept.serial}\\s+valid\\s`));
});

test('revoking twice changes nothing; unknown and malformed serials are refused', async () => {
  const leaf = await ca.issue({ name: 'twice' });
  const first = await revokeCertificate(ca.store, PASSPHRASE, leaf.serial);
  const second = await revokeCertificate(ca.store, PASSPHRASE, leaf.serial);
  assert.equal(second.newlyRevoked, false);
  assert.equal(second.record.revokedAt, first.record.revokedAt);
  await assert.rejects(revokeCertificate(ca.store, PASSPHRASE, '0123abcd'), { code: 'ERR_SERIAL_UNKNOWN' });
  await assert.rejects(revokeCertificate(ca.store, PASSPHRASE, 'not-hex'), { code: 'ERR_SERIAL_INVALID' });
});

test('crl.pem holds X.509 v2 CRLs with a nextUpdate, signed by the intermediate and by the root', async () => {
  const blocks = splitPem(await currentCrl(ca.store, PASSPHRASE), 'X509 CRL');
  assert.equal(blocks.length, 2);
  const signers = [
    ['Root', 'root.crt.pem'],
    ['Intermediate', 'intermediate.crt.pem'],
  ];
  for (const [index, [kind, issuerFile]] of signers.entries()) {
    const crlFile = await ca.file(`inspect-${kind}.crl.pem`, blocks[index]);
    const text = (await openssl(['crl', '-in', crlFile, '-noout', '-text'])).output;
    assert.match(text, /Version 2/, kind);
    assert.match(text, new RegExp(`Issuer: CN = Gatehouse ${kind} CA [0-9a-f]{8}, O = example\\.org`), kind);
    assert.match(text, /Next Update: /, kind);
    assert.match(text, /CRL Number/, kind);
    const verified = await openssl(['crl', '-in', crlFile, '-noout', '-CAfile', join(ca.dir, issuerFile)]);
    assert.match(verified.output, /verify OK/, kind);
  }
});
