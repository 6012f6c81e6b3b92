// The store-backed CA (identity store documents, SQLite and PostgreSQL) runs the same CA code as
// a directory: init, issue, revoke, CRL, rotation; private keys are stored encrypted under a
// passphrase derived from the identity KEK, and another KEK cannot open them.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { initCertificateAuthority } from '../../src/pki/create-ca.ts';
import { currentCrl } from '../../src/pki/crl.ts';
import { CA_NAMESPACE, DocumentCaStore } from '../../src/pki/document-ca-store.ts';
import { issueCertificate } from '../../src/pki/issue-certificate.ts';
import { joinPem } from '../../src/pki/pem-blocks.ts';
import { revokeCertificate } from '../../src/pki/revoke.ts';
import { caPassphraseFromKek } from '../../src/pki/store-passphrase.ts';
import { rotateAuthority } from '../../src/pki/trust-bundle.ts';
import { openssl } from './ca-fixture.ts';
import { openTestStore } from './store-fixture.ts';

for (const driver of ['sqlite', 'postgres'] as const) {
  test(`store-backed CA on ${driver}: issue, revoke, CRL and rotation verify with openssl`, async () => {
    const testStore = await openTestStore(driver);
    const work = await mkdtemp(join(tmpdir(), 'gatehouse-ca-doc-'));
    try {
      const kek = randomBytes(32);
      const passphrase = caPassphraseFromKek(kek);
      const ca = new DocumentCaStore(testStore.store.documents);
      assert.equal(await ca.isInitialized(), false);
      await initCertificateAuthority(ca, { trustDomain: 'example.org', passphrase });
      assert.equal(await ca.isInitialized(), true);

      // Keys are encrypted PKCS#8 in the database; the passphrase itself is nowhere.
      const documents = await testStore.store.documents.list(CA_NAMESPACE);
      const stored = JSON.stringify(documents);
      assert.match(stored, /BEGIN ENCRYPTED PRIVATE KEY/);
      assert.doesNotMatch(stored, /BEGIN PRIVATE KEY/);
      assert.equal(stored.includes(passphrase), false);

      const good = await issueCertificate(ca, passphrase, { spiffeId: 'spiffe://example.org/ns/shop/sa/orders', dnsNames: ['orders'] });
      const doomed = await issueCertificate(ca, passphrase, { spiffeId: 'spiffe://example.org/ns/shop/sa/doomed' });
      await revokeCertificate(ca, passphrase, doomed.serial);
      assert.equal((await ca.readIssued(doomed.serial))?.revokedAt !== undefined, true);
      assert.equal((await ca.listIssued()).length, 2);

      const bundleFile = join(work, 'bundle.pem');
      await writeFile(bundleFile, joinPem(await ca.readBundle()));
      const crlFile = join(work, 'crl.pem');
      const verify = async (chainPem: string, name: string) => {
        const chainFile = join(work, `${name}.crt.pem`);
        await writeFile(chainFile, chainPem);
        await writeFile(crlFile, await currentCrl(ca, passphrase));
        return openssl(['verify', '-crl_check_all', '-CRLfile', crlFile, '-CAfile', bundleFile, '-untrusted', chainFile, chainFile]);
      };
      assert.ok((await verify(good.chainPem, 'good')).ok);
      assert.match((await verify(doomed.chainPem, 'doomed')).output, /certificate revoked/);

      await rotateAuthority(ca, passphrase, { newRoot: true });
      await writeFile(bundleFile, joinPem(await ca.readBundle()));
      assert.equal((await ca.readBundle()).length, 2, 'old and new root both published');
      assert.equal((await ca.readRetired('intermediate')).length, 1);
      const fresh = await issueCertificate(ca, passphrase, { spiffeId: 'spiffe://example.org/ns/shop/sa/fresh' });
      assert.ok((await verify(good.chainPem, 'good-after')).ok, 'a leaf from before the rotation still verifies');
      assert.ok((await verify(fresh.chainPem, 'fresh')).ok);

      const otherKek = caPassphraseFromKek(randomBytes(32));
      await assert.rejects(issueCertificate(ca, otherKek, { spiffeId: 'spiffe://example.org/ns/shop/sa/x' }), { code: 'ERR_CA_KEY_LOCKED' });
      await assert.rejects(initCertificateAuthority(ca, { trustDomain: 'example.org', passphrase }), { code: 'ERR_CA_EXISTS' });
    } finally {
      await testStore.close();
      await rm(work, { recursive: true, force: true });
    }
  });
}
