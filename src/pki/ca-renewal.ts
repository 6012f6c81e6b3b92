// Renewal (POST /ca/v1/renew): the workload proves it holds a current certificate of this CA —
// over mutual TLS, or by sending that certificate with either a CSR for the same key (the CSR's
// signature proves possession, RFC 2986 §3) or a CSR for a new key plus a proof signed with the
// current key (src/pki/renewal-proof.ts). The new leaf keeps the old one's SPIFFE ID and DNS
// names; a revoked, expired or foreign certificate renews nothing.
import { X509Certificate } from 'node:crypto';
import type { CaStore, IssuedRecord } from './ca-store.ts';
import { currentCrl, parseCrls } from './crl.ts';
import { splitPemCertificates } from './pem-blocks.ts';
import type { PeerTrust } from './peer-trust.ts';
import { PkiError } from './pki-error.ts';
import { verifyPeer } from './verify-peer.ts';
import { verifyRenewalProof } from './renewal-proof.ts';
import { publicKeyFromCsr } from './workload-public-key.ts';

/** The CA's own view of trust: its roots, every unexpired intermediate, its current CRLs. */
export async function caPeerTrust(store: CaStore, passphrase: string, now = new Date()): Promise<PeerTrust> {
  const intermediates = [await store.readActive('intermediate'), ...(await store.readRetired('intermediate'))];
  return {
    roots: (await store.readBundle()).map((pem) => new X509Certificate(pem)),
    intermediates: intermediates.map((stored) => new X509Certificate(stored.certificatePem)),
    crls: parseCrls(await currentCrl(store, passphrase, now)),
  };
}

export function chainFromPem(pem: string): Buffer[] {
  try {
    return splitPemCertificates(pem).map((block) => new X509Certificate(block).raw);
  } catch {
    throw new PkiError('ERR_CA_REQUEST_INVALID', '"certificate" must be a PEM certificate chain');
  }
}

export interface RenewalEvidence {
  /** The current chain, leaf first: from the TLS connection or the request body. */
  readonly chain: readonly Buffer[];
  /** True when the chain came from this connection's handshake (possession already proven). */
  readonly fromHandshake: boolean;
  readonly csrPem: string;
  /** Required when the CSR is for another key and the chain did not come from the handshake. */
  readonly proof?: string;
}

/** Checks the presented chain and the CSR; returns the record of the leaf being renewed. */
export async function checkRenewal(store: CaStore, passphrase: string, evidence: RenewalEvidence, now = new Date()): Promise<IssuedRecord> {
  const { chain, csrPem } = evidence;
  const [leafDer] = chain;
  if (leafDer === undefined) throw new PkiError('ERR_CA_CREDENTIAL_MISSING', 'present the current certificate (mTLS or the "certificate" field)');
  const leaf = new X509Certificate(leafDer);
  const record = await store.readIssued(leaf.serialNumber.toLowerCase());
  if (record === undefined) throw new PkiError('ERR_CA_CERTIFICATE_UNKNOWN', 'this CA did not issue the presented certificate');
  const verified = await verifyPeer(chain, await caPeerTrust(store, passphrase, now), { spiffeId: record.spiffeId }, now);
  if (!verified.ok) throw new PkiError('ERR_CA_CERTIFICATE_REFUSED', `${verified.message} (${verified.code})`);
  const requested = await publicKeyFromCsr(csrPem);
  const current = leaf.publicKey.export({ format: 'der', type: 'spki' });
  if (Buffer.from(requested.rawData).equals(current) || evidence.fromHandshake) return record;
  if (evidence.proof === undefined) {
    throw new PkiError('ERR_CA_RENEWAL_KEY_MISMATCH', 'a CSR for a new key needs a "proof" signed with the current key (or use the same key)');
  }
  await verifyRenewalProof(evidence.proof, leaf, csrPem, now);
  return record;
}
