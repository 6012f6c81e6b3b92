// What verifyPeer trusts: the bundle's roots and the CA's current CRLs, loaded from the PEM the
// CA publishes (bundle.pem, crl.pem) and the chain a TLS peer presented.
import { X509Certificate } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import { parseCrls } from './crl.ts';
import { splitPemCertificates } from './pem-blocks.ts';
import type { x509 } from './x509-crypto.ts';

export interface PeerTrust {
  readonly roots: readonly X509Certificate[];
  /**
   * Intermediates to build chains with besides those the peer sent. Needed on the server side of
   * a node:tls connection, where Node exposes only the client's leaf, not the chain it sent.
   */
  readonly intermediates?: readonly X509Certificate[];
  /** When present, a leaf must be covered by an unexpired CRL from its issuer (fail closed). */
  readonly crls?: readonly x509.X509Crl[];
}

export interface PeerTrustPem {
  /** bundle.pem: the roots. */
  readonly bundle: string;
  /** The CA's intermediates (PEM, any number), e.g. a workload's own .crt.pem chain. */
  readonly intermediates?: string;
  /** crl.pem; omit to skip revocation checks. */
  readonly crl?: string;
}

export function loadPeerTrust(pem: PeerTrustPem): PeerTrust {
  const certificates = (text: string | undefined) => splitPemCertificates(text ?? '').map((block) => new X509Certificate(block));
  return {
    roots: certificates(pem.bundle),
    intermediates: certificates(pem.intermediates).filter((certificate) => certificate.ca),
    crls: pem.crl === undefined ? undefined : parseCrls(pem.crl),
  };
}

/**
 * The peer's chain, leaf first (DER). On a client socket Node links each certificate to its
 * issuer up to the root, which points back to itself; on a server socket only the leaf is there.
 */
export function peerChainFromSocket(socket: TLSSocket): Buffer[] {
  const chain: Buffer[] = [];
  let current = socket.getPeerCertificate(true);
  while (current && current.raw && chain.length < 10) {
    chain.push(current.raw);
    const issuer = current.issuerCertificate;
    if (!issuer || issuer === current || issuer.raw.equals(current.raw)) break;
    current = issuer;
  }
  return chain;
}
