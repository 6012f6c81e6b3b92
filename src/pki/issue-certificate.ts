// Issuing a workload (leaf) certificate, signed by the active intermediate: the SPIFFE ID as URI
// SAN plus DNS SANs, serverAuth+clientAuth so the same certificate serves both ends of mTLS.
import type { CaStore, IssuedRecord } from './ca-store.ts';
import { validateDnsName } from './dns-name.ts';
import { joinPem } from './pem-blocks.ts';
import { PkiError } from './pki-error.ts';
import { exportPrivateKeyPem } from './private-key-pem.ts';
import { openActiveAuthority } from './signing-authority.ts';
import { parseSpiffeId } from './spiffe-id.ts';
import { publicKeyFromCryptoKey, publicKeyFromCsr } from './workload-public-key.ts';
import { generateEcKeyPair, randomSerialNumber, SIGNING_ALGORITHM, x509 } from './x509-crypto.ts';

/** Tolerates clocks up to a minute behind the CA's (the leaf is valid from one minute ago). */
export const CLOCK_SKEW_MS = 60_000;

export interface IssueRequest {
  readonly spiffeId: string;
  readonly dnsNames?: readonly string[];
  /** Defaults to the CA's configured leaf TTL (24 h). */
  readonly ttlSeconds?: number;
  /** A PKCS#10 request in PEM; without it the CA generates the key pair (the CLI case). */
  readonly csrPem?: string;
  readonly now?: Date;
}

export interface IssuedCertificate {
  readonly serial: string;
  readonly certificate: x509.X509Certificate;
  /** The leaf, then the intermediate that signed it: what a TLS peer presents. */
  readonly chainPem: string;
  /** Only when the CA generated the key (no CSR): unencrypted PKCS#8 PEM for the workload. */
  readonly privateKeyPem?: string;
  readonly record: IssuedRecord;
}

export async function issueCertificate(store: CaStore, passphrase: string, request: IssueRequest): Promise<IssuedCertificate> {
  const now = request.now ?? new Date();
  const config = await store.readConfig();
  const spiffeId = parseSpiffeId(request.spiffeId);
  if (spiffeId.trustDomain !== config.trustDomain) {
    throw new PkiError(
      'ERR_SPIFFE_TRUST_DOMAIN_MISMATCH',
      `"${request.spiffeId}" is in trust domain "${spiffeId.trustDomain}", but this CA issues for "${config.trustDomain}"`,
    );
  }
  const dnsNames = [...new Set((request.dnsNames ?? []).map(validateDnsName))];
  const ttlSeconds = request.ttlSeconds ?? config.leafTtlSeconds;
  if (!(ttlSeconds > 0)) throw new PkiError('ERR_TTL_INVALID', 'the certificate lifetime must be longer than zero');

  // Parse the request before touching the CA key: a bad CSR never needs the passphrase.
  const generated = request.csrPem === undefined ? await generateEcKeyPair() : undefined;
  const publicKey = generated ? await publicKeyFromCryptoKey(generated.publicKey) : await publicKeyFromCsr(request.csrPem as string);

  const intermediate = await openActiveAuthority(store, 'intermediate', passphrase);
  const issuerNotAfter = intermediate.certificate.notAfter.getTime();
  if (issuerNotAfter <= now.getTime()) throw new PkiError('ERR_CA_INTERMEDIATE_EXPIRED', 'the signing intermediate has expired: run "ca rotate"');

  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerialNumber(),
    // An empty subject is what SPIFFE X.509-SVIDs use; RFC 5280 §4.2.1.6 then requires a critical SAN.
    subject: '',
    issuer: intermediate.certificate.subjectName,
    notBefore: new Date(now.getTime() - CLOCK_SKEW_MS),
    // Never outlive the issuer: the leaf would stop validating before its own notAfter.
    notAfter: new Date(Math.min(now.getTime() + ttlSeconds * 1000, issuerNotAfter)),
    publicKey,
    signingKey: intermediate.signingKey,
    signingAlgorithm: SIGNING_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth]),
      new x509.SubjectAlternativeNameExtension(
        [{ type: 'url', value: spiffeId.uri }, ...dnsNames.map((name) => ({ type: 'dns' as const, value: name }))],
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(intermediate.certificate.publicKey),
    ],
  });

  const serial = certificate.serialNumber.toLowerCase();
  const record: IssuedRecord = {
    serial,
    spiffeId: spiffeId.uri,
    dnsNames,
    notBefore: certificate.notBefore.toISOString(),
    notAfter: certificate.notAfter.toISOString(),
    issuerSerial: intermediate.certificate.serialNumber.toLowerCase(),
  };
  await store.recordIssued(record);
  return {
    serial,
    certificate,
    chainPem: joinPem([certificate.toString('pem'), intermediate.certificate.toString('pem')]),
    privateKeyPem: generated ? await exportPrivateKeyPem(generated.privateKey) : undefined,
    record,
  };
}
