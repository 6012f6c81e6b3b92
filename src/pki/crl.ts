// Certificate revocation lists (X.509 v2 CRL, RFC 5280 §5). Each intermediate that may still
// have live leaves — the active one and those retired by rotation — signs its own CRL listing
// the revoked leaves it issued; each unexpired root signs one for the intermediates below it
// (none are revoked yet; it is there because checkers that test the whole chain — Node's `crl`
// TLS option, `openssl verify -crl_check_all` — refuse a chain with a CA that has no CRL).
// crl.pem holds them all, so every checker finds the CRL of whichever CA issued a certificate.
import type { CaStore, IssuedRecord } from './ca-store.ts';
import { joinPem, splitPem } from './pem-blocks.ts';
import { openAuthority, type SigningAuthority } from './signing-authority.ts';
import { SIGNING_ALGORITHM, x509 } from './x509-crypto.ts';

const CRL_NUMBER_OID = '2.5.29.20';

// RFC 5280 §5.2.3: CRLNumber ::= INTEGER, monotonically increasing. Milliseconds since the
// epoch increase across runs without a counter to store.
function crlNumberExtension(now: Date): x509.Extension {
  const bytes: number[] = [];
  for (let rest = BigInt(now.getTime()); rest > 0n; rest >>= 8n) bytes.unshift(Number(rest & 0xffn));
  if (bytes.length === 0 || bytes[0] & 0x80) bytes.unshift(0);
  return new x509.Extension(CRL_NUMBER_OID, false, Uint8Array.from([0x02, bytes.length, ...bytes]));
}

async function signCrl(
  authority: SigningAuthority,
  revoked: readonly IssuedRecord[],
  now: Date,
  validitySeconds: number,
): Promise<x509.X509Crl> {
  return x509.X509CrlGenerator.create({
    issuer: authority.certificate.subjectName,
    thisUpdate: now,
    nextUpdate: new Date(now.getTime() + validitySeconds * 1000),
    signingKey: authority.signingKey,
    signingAlgorithm: SIGNING_ALGORITHM,
    extensions: [
      // §5.2.1: conforming CRLs carry the authority key identifier.
      await x509.AuthorityKeyIdentifierExtension.create(authority.certificate.publicKey),
      crlNumberExtension(now),
    ],
    entries: revoked.map((record) => ({
      serialNumber: record.serial,
      revocationDate: new Date(record.revokedAt as string),
    })),
  });
}

/** Signs a fresh CRL for every unexpired root and intermediate, stores them and returns the PEM. */
export async function publishCrl(store: CaStore, passphrase: string, now = new Date()): Promise<string> {
  const config = await store.readConfig();
  const issued = await store.listIssued();
  const trustedRoots = (await store.readBundle()).map((pem) => new x509.X509Certificate(pem));
  const crls: string[] = [];
  for (const role of ['root', 'intermediate'] as const) {
    for (const candidate of [await store.readActive(role), ...(await store.readRetired(role))]) {
      const certificate = new x509.X509Certificate(candidate.certificatePem);
      if (certificate.notAfter <= now) continue;
      // A root that has left the bundle anchors nothing any more: no CRL needed.
      if (role === 'root' && !trustedRoots.some((root) => root.equal(certificate))) continue;
      const authority = await openAuthority(candidate, passphrase, role);
      const issuerSerial = authority.certificate.serialNumber.toLowerCase();
      const revoked = issued.filter((record) => record.issuerSerial === issuerSerial && record.revokedAt !== undefined);
      const crl = await signCrl(authority, revoked, now, config.crlValiditySeconds);
      // RFC 7468 §5 labels CRLs "X509 CRL" (what OpenSSL reads); @peculiar/x509 writes "CRL".
      crls.push(`${x509.PemConverter.encode(crl.rawData, 'X509 CRL')}\n`);
    }
  }
  const pem = joinPem(crls);
  await store.writeCrl(pem);
  return pem;
}

export function parseCrls(pem: string): x509.X509Crl[] {
  return splitPem(pem, 'X509 CRL').map((block) => new x509.X509Crl(block));
}

/**
 * The CRL to hand out: the stored one while every CRL in it is in the first half of its validity,
 * otherwise a freshly signed one — relying parties refresh before nextUpdate, never after it.
 */
export async function currentCrl(store: CaStore, passphrase: string, now = new Date()): Promise<string> {
  const stored = await store.readCrl();
  if (stored !== undefined) {
    const crls = parseCrls(stored);
    const fresh = crls.length > 0 && crls.every((crl) => {
      const nextUpdate = crl.nextUpdate?.getTime() ?? 0;
      return now.getTime() < crl.thisUpdate.getTime() + (nextUpdate - crl.thisUpdate.getTime()) / 2;
    });
    if (fresh) return stored;
  }
  return publishCrl(store, passphrase, now);
}
