// Checks a TLS peer's certificate chain against the Gatehouse CA, for the gateway's upstream
// mTLS and the SDK: the chain leads to a root in the trust bundle, every certificate is within
// its validity, the leaf is not on its issuer's CRL, and it names the expected SPIFFE ID or DNS
// name. Returns a typed result with a stable code instead of throwing, so callers branch on it.
import { X509Certificate } from 'node:crypto';
import type { PeerTrust } from './peer-trust.ts';
import { PkiError } from './pki-error.ts';
import { x509 } from './x509-crypto.ts';

export type PeerRejectionCode =
  | 'peer_certificate_missing'
  | 'peer_certificate_untrusted'
  | 'peer_certificate_expired'
  | 'peer_certificate_not_yet_valid'
  | 'peer_certificate_revoked'
  | 'peer_revocation_unknown'
  | 'peer_identity_mismatch';

export interface PeerExpectation {
  readonly spiffeId?: string;
  readonly dnsName?: string;
}

export type PeerVerification =
  | { readonly ok: true; readonly serial: string; readonly spiffeIds: string[]; readonly dnsNames: string[] }
  | { readonly ok: false; readonly code: PeerRejectionCode; readonly message: string };

// Our intermediates have pathLen 0, so leaf → intermediate → root; allow a little slack for others.
const MAX_CHAIN_LENGTH = 4;

function reject(code: PeerRejectionCode, message: string): PeerVerification {
  return { ok: false, code, message };
}

function issuedBy(certificate: X509Certificate, issuer: X509Certificate): boolean {
  return certificate.checkIssued(issuer) && certificate.verify(issuer.publicKey);
}

function validityProblem(certificate: X509Certificate, now: Date, label: string): PeerVerification | undefined {
  if (now < certificate.validFromDate) return reject('peer_certificate_not_yet_valid', `the ${label} certificate is not valid before ${certificate.validFromDate.toISOString()}`);
  if (now > certificate.validToDate) return reject('peer_certificate_expired', `the ${label} certificate expired at ${certificate.validToDate.toISOString()}`);
  return undefined;
}

/** RFC 5280 §6.1: walk issuer links from the leaf to a trusted root, checking each signature and validity. */
function chainToRoot(leaf: X509Certificate, presented: X509Certificate[], trust: PeerTrust, now: Date): { issuer: X509Certificate } | PeerVerification {
  let current = leaf;
  let leafIssuer: X509Certificate | undefined;
  for (let depth = 0; depth < MAX_CHAIN_LENGTH; depth++) {
    const problem = validityProblem(current, now, depth === 0 ? 'peer' : 'intermediate');
    if (problem) return problem;
    const root = trust.roots.find((candidate) => issuedBy(current, candidate));
    const issuer = root ?? presented.find((candidate) => candidate.ca && !candidate.raw.equals(current.raw) && issuedBy(current, candidate));
    if (!issuer) return reject('peer_certificate_untrusted', 'the peer certificate does not chain to a root in the trust bundle');
    leafIssuer ??= issuer;
    if (root) {
      const rootProblem = validityProblem(root, now, 'root');
      return rootProblem ?? { issuer: leafIssuer };
    }
    current = issuer;
  }
  return reject('peer_certificate_untrusted', 'the peer certificate chain is too long');
}

async function revocationProblem(leaf: X509Certificate, issuer: X509Certificate, crls: readonly x509.X509Crl[], now: Date): Promise<PeerVerification | undefined> {
  const issuerCertificate = new x509.X509Certificate(issuer.raw);
  for (const crl of crls) {
    if (crl.issuer !== issuerCertificate.subject || !(await crl.verify({ publicKey: issuerCertificate }))) continue;
    // RFC 5280 §6.3.3: a CRL past its nextUpdate says nothing about the present.
    if (!crl.nextUpdate || crl.nextUpdate < now) return reject('peer_revocation_unknown', `the issuer's CRL expired at ${crl.nextUpdate?.toISOString() ?? '(no nextUpdate)'}`);
    if (crl.findRevoked(leaf.serialNumber.toLowerCase())) return reject('peer_certificate_revoked', `the peer certificate (serial ${leaf.serialNumber.toLowerCase()}) is revoked`);
    return undefined;
  }
  return reject('peer_revocation_unknown', 'no current CRL from the peer certificate\'s issuer');
}

function subjectAltNames(leaf: X509Certificate): { spiffeIds: string[]; dnsNames: string[] } {
  const san = new x509.X509Certificate(leaf.raw).getExtension(x509.SubjectAlternativeNameExtension);
  const names = san?.names.items ?? [];
  return {
    spiffeIds: names.filter((name) => name.type === 'url' && name.value.startsWith('spiffe://')).map((name) => name.value),
    dnsNames: names.filter((name) => name.type === 'dns').map((name) => name.value),
  };
}

/** chain: the peer's certificates, leaf first (DER or node X509Certificate), e.g. from peerChainFromSocket. */
export async function verifyPeer(
  chain: readonly (Uint8Array | X509Certificate)[],
  trust: PeerTrust,
  expected: PeerExpectation,
  now = new Date(),
): Promise<PeerVerification> {
  if (expected.spiffeId === undefined && expected.dnsName === undefined) {
    throw new PkiError('ERR_PEER_EXPECTATION_MISSING', 'verifyPeer needs the SPIFFE ID or DNS name the peer must have');
  }
  const certificates = chain.map((item) => (item instanceof X509Certificate ? item : new X509Certificate(item)));
  const [leaf, ...presented] = certificates;
  if (!leaf) return reject('peer_certificate_missing', 'the peer presented no certificate');
  if (leaf.ca) return reject('peer_certificate_untrusted', 'the peer presented a CA certificate as its identity');

  const chained = chainToRoot(leaf, [...presented, ...(trust.intermediates ?? [])], trust, now);
  if ('ok' in chained) return chained;
  if (trust.crls) {
    const problem = await revocationProblem(leaf, chained.issuer, trust.crls, now);
    if (problem) return problem;
  }

  const names = subjectAltNames(leaf);
  if (expected.spiffeId !== undefined && !names.spiffeIds.includes(expected.spiffeId)) {
    return reject('peer_identity_mismatch', `the peer is ${names.spiffeIds.join(', ') || 'no SPIFFE ID'}, expected ${expected.spiffeId}`);
  }
  // checkHost follows RFC 6125 (SAN dNSName only, no CN fallback when SANs exist).
  if (expected.dnsName !== undefined && leaf.checkHost(expected.dnsName) === undefined) {
    return reject('peer_identity_mismatch', `the peer certificate is not valid for host ${expected.dnsName}`);
  }
  return { ok: true, serial: leaf.serialNumber.toLowerCase(), ...names };
}
