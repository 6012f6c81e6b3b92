// Creating the CA hierarchy: an ECDSA P-256 root (10 years, self-signed, may be kept offline)
// and an intermediate it certifies (1 year) that signs every leaf. `initCertificateAuthority`
// writes both to a store and publishes the root in the trust bundle.
import type { CaConfig, CaStore, StoredAuthority } from './ca-store.ts';
import { publishCrl } from './crl.ts';
import { spiffeNameConstraints } from './name-constraints.ts';
import { PkiError } from './pki-error.ts';
import { encryptPrivateKey } from './private-key-pem.ts';
import type { SigningAuthority } from './signing-authority.ts';
import { validateTrustDomain } from './spiffe-id.ts';
import { generateEcKeyPair, randomSerialNumber, SIGNING_ALGORITHM, x509, type CryptoKeyPair } from './x509-crypto.ts';

const DAY_MS = 86_400_000;
export const ROOT_VALIDITY_DAYS = 3650;
export const INTERMEDIATE_VALIDITY_DAYS = 365;
export const DEFAULT_LEAF_TTL_SECONDS = 24 * 3600;
export const DEFAULT_CRL_VALIDITY_SECONDS = 7 * 24 * 3600;

export interface CreatedAuthority {
  readonly stored: StoredAuthority;
  readonly opened: SigningAuthority;
}

// RFC 5280 §4.2.1.9 / §4.2.1.3: a CA certificate asserts CA:TRUE (critical) and may sign
// certificates and CRLs, nothing else.
function caKeyUsages(): x509.Extension[] {
  return [new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true)];
}

/** The serial prefix keeps names distinct across rotations, so chain building never confuses generations. */
function authorityName(kind: string, trustDomain: string, serial: string): string {
  return `CN=Gatehouse ${kind} CA ${serial.slice(0, 8)}, O=${trustDomain}`;
}

async function store(certificate: x509.X509Certificate, keys: CryptoKeyPair, passphrase: string): Promise<CreatedAuthority> {
  return {
    stored: { certificatePem: `${certificate.toString('pem')}\n`, encryptedKeyPem: await encryptPrivateKey(keys.privateKey, passphrase) },
    opened: { certificate, signingKey: keys.privateKey },
  };
}

export async function createRootAuthority(trustDomain: string, passphrase: string, now = new Date()): Promise<CreatedAuthority> {
  const keys = await generateEcKeyPair();
  const serialNumber = randomSerialNumber();
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber,
    name: authorityName('Root', trustDomain, serialNumber),
    notBefore: now,
    notAfter: new Date(now.getTime() + ROOT_VALIDITY_DAYS * DAY_MS),
    keys,
    signingAlgorithm: SIGNING_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      ...caKeyUsages(),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return store(certificate, keys, passphrase);
}

export async function createIntermediateAuthority(
  trustDomain: string,
  root: SigningAuthority,
  passphrase: string,
  now = new Date(),
): Promise<CreatedAuthority> {
  if (root.certificate.notAfter <= now) throw new PkiError('ERR_CA_ROOT_EXPIRED', 'the root certificate has expired: rotate with --root');
  const keys = await generateEcKeyPair();
  const serialNumber = randomSerialNumber();
  const wanted = now.getTime() + INTERMEDIATE_VALIDITY_DAYS * DAY_MS;
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber,
    subject: authorityName('Intermediate', trustDomain, serialNumber),
    issuer: root.certificate.subjectName,
    notBefore: now,
    // A certificate outliving its issuer would fail path validation before its own notAfter.
    notAfter: new Date(Math.min(wanted, root.certificate.notAfter.getTime())),
    publicKey: keys.publicKey,
    signingKey: root.signingKey,
    signingAlgorithm: SIGNING_ALGORITHM,
    extensions: [
      // pathLen 0: the intermediate signs leaves only, never another CA (RFC 5280 §4.2.1.9).
      new x509.BasicConstraintsExtension(true, 0, true),
      ...caKeyUsages(),
      spiffeNameConstraints(trustDomain),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(root.certificate.publicKey),
    ],
  });
  return store(certificate, keys, passphrase);
}

export interface InitOptions {
  readonly trustDomain: string;
  readonly passphrase: string;
  readonly leafTtlSeconds?: number;
  readonly now?: Date;
}

export async function initCertificateAuthority(caStore: CaStore, options: InitOptions): Promise<CaConfig> {
  if (await caStore.isInitialized()) throw new PkiError('ERR_CA_EXISTS', 'a CA already exists there; use "ca rotate" to replace its keys');
  const trustDomain = validateTrustDomain(options.trustDomain);
  const config: CaConfig = {
    trustDomain,
    leafTtlSeconds: options.leafTtlSeconds ?? DEFAULT_LEAF_TTL_SECONDS,
    crlValiditySeconds: DEFAULT_CRL_VALIDITY_SECONDS,
  };
  const root = await createRootAuthority(trustDomain, options.passphrase, options.now);
  const intermediate = await createIntermediateAuthority(trustDomain, root.opened, options.passphrase, options.now);
  await caStore.writeConfig(config);
  await caStore.writeActive('root', root.stored);
  await caStore.writeActive('intermediate', intermediate.stored);
  await caStore.writeBundle([root.stored.certificatePem]);
  await publishCrl(caStore, options.passphrase, options.now);
  return config;
}
