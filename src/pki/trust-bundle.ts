// The trust bundle and its rotation. Order matters so no handshake fails (the overlap model of
// Istio and SPIRE): a new root is published in bundle.pem before anything it signs is handed
// out; only then does the new intermediate become the signer. The old intermediate is retired,
// not deleted — its leaves keep validating and its CRL keeps being signed — and an old root
// leaves the bundle only once no unexpired intermediate chains to it.
import type { CaStore, StoredAuthority } from './ca-store.ts';
import { createIntermediateAuthority, createRootAuthority } from './create-ca.ts';
import { publishCrl } from './crl.ts';
import { openActiveAuthority } from './signing-authority.ts';
import { x509 } from './x509-crypto.ts';

function certificateOf(stored: StoredAuthority | string): x509.X509Certificate {
  return new x509.X509Certificate(typeof stored === 'string' ? stored : stored.certificatePem);
}

/** Roots still needed: the active one, and any root an unexpired intermediate was issued by. */
async function rootsToKeep(store: CaStore, candidates: readonly string[], now: Date): Promise<string[]> {
  const activeRoot = certificateOf(await store.readActive('root'));
  const intermediates = [await store.readActive('intermediate'), ...(await store.readRetired('intermediate'))]
    .map(certificateOf)
    .filter((certificate) => certificate.notAfter > now);
  return candidates.filter((pem) => {
    const root = certificateOf(pem);
    if (root.notAfter <= now) return false;
    return root.equal(activeRoot) || intermediates.some((intermediate) => intermediate.issuer === root.subject);
  });
}

export interface RotationOptions {
  /** Also replace the root (the new root is added to the bundle first). */
  readonly newRoot?: boolean;
  readonly now?: Date;
}

export interface RotationResult {
  readonly intermediateSerial: string;
  readonly rootSerial: string;
  readonly bundlePem: string;
}

export async function rotateAuthority(store: CaStore, passphrase: string, options: RotationOptions = {}): Promise<RotationResult> {
  const now = options.now ?? new Date();
  const { trustDomain } = await store.readConfig();
  const oldRoot = await store.readActive('root');
  const oldIntermediate = await store.readActive('intermediate');
  let bundle = await store.readBundle();

  let root = await openActiveAuthority(store, 'root', passphrase);
  if (options.newRoot) {
    const created = await createRootAuthority(trustDomain, passphrase, now);
    // Publish first: relying parties learn the new root before any leaf chains to it.
    bundle = [...bundle, created.stored.certificatePem];
    await store.writeBundle(bundle);
    await store.addRetired('root', oldRoot);
    await store.writeActive('root', created.stored);
    root = created.opened;
  }
  const intermediate = await createIntermediateAuthority(trustDomain, root, passphrase, now);
  // Retire before switching: at every moment the old intermediate's key is stored somewhere.
  await store.addRetired('intermediate', oldIntermediate);
  await store.writeActive('intermediate', intermediate.stored);

  const kept = await rootsToKeep(store, bundle, now);
  await store.writeBundle(kept);
  await publishCrl(store, passphrase, now);
  return {
    intermediateSerial: intermediate.opened.certificate.serialNumber.toLowerCase(),
    rootSerial: root.certificate.serialNumber.toLowerCase(),
    bundlePem: kept.join(''),
  };
}
