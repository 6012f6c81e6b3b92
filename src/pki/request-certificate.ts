// A workload asking the CA for its own certificate the way the issue demands: the key pair is
// generated here and only a PKCS#10 request (RFC 2986) goes to the CA, so the private key never
// leaves the workload — even when the CA is a directory on the same machine.
import type { CaStore } from './ca-store.ts';
import { issueCertificate, type IssuedCertificate } from './issue-certificate.ts';
import { exportPrivateKeyPem } from './private-key-pem.ts';
import { generateEcKeyPair, SIGNING_ALGORITHM, x509 } from './x509-crypto.ts';

export interface WorkloadCertificateRequest {
  readonly spiffeId: string;
  readonly dnsNames?: readonly string[];
  readonly ttlSeconds?: number;
}

export interface WorkloadCertificate {
  readonly issued: IssuedCertificate;
  /** The workload's own key, unencrypted PKCS#8 PEM: keep it in memory or a 0600 file. */
  readonly privateKeyPem: string;
}

export async function requestWorkloadCertificate(store: CaStore, passphrase: string, request: WorkloadCertificateRequest): Promise<WorkloadCertificate> {
  const keys = await generateEcKeyPair();
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({ keys, signingAlgorithm: SIGNING_ALGORITHM });
  const issued = await issueCertificate(store, passphrase, {
    spiffeId: request.spiffeId,
    dnsNames: request.dnsNames,
    ttlSeconds: request.ttlSeconds,
    csrPem: csr.toString('pem'),
  });
  return { issued, privateKeyPem: await exportPrivateKeyPem(keys.privateKey) };
}
