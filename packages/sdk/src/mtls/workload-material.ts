// What a workload presents and trusts in mutual TLS — its certificate chain and key, the roots of
// the trust bundle, the CRLs — held as one immutable snapshot with a version. A change (renewal,
// rotated bundle, fresh CRL) replaces the whole snapshot and tells the listeners, which build
// new TLS contexts for new connections; connections already open keep theirs.
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { WorkloadCertificateError } from './workload-errors.ts';

export interface WorkloadMaterial {
  /** Leaf first, then the intermediate (PEM). */
  readonly certificatePem: string;
  readonly privateKeyPem: string;
  /** The roots peers must chain to (PEM, any number). */
  readonly bundlePem: string;
  /** One CRL per entry (Node's `crl` option); empty = no revocation check. */
  readonly crlPems: readonly string[];
  /** The leaf's SPIFFE ID (URI SAN). */
  readonly spiffeId: string | undefined;
  readonly notAfter: Date;
  /** Increases with every change. */
  readonly version: number;
}

/** The source of a workload's material: files on disk or the Gatehouse CA. */
export interface WorkloadIdentity {
  /** Settles when the first material is loaded (rejects if that failed). */
  readonly ready: Promise<void>;
  /** The current material; throws ERR_GATEHOUSE_WORKLOAD_NOT_READY before `ready`. */
  current(): WorkloadMaterial;
  /** Calls `listener` after every change; returns the unsubscribe function. */
  onChange(listener: (material: WorkloadMaterial) => void): () => void;
  /** Re-reads the files, or re-fetches bundle and CRL from the CA, now. */
  refresh(): Promise<void>;
  /** Renews the certificate now (CA source); the file source re-reads its files. */
  renew(): Promise<void>;
  close(): void;
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]+?-----END \1-----/g;

export function pemBlocks(text: string, label: string): string[] {
  return [...text.matchAll(PEM_BLOCK)].filter((match) => match[1] === label).map((match) => `${match[0]}\n`);
}

/** The SPIFFE IDs in a certificate's subjectaltname text ("URI:spiffe://…, DNS:…"). */
export function spiffeIdsOf(subjectAltName: string | undefined): string[] {
  return (subjectAltName ?? '')
    .split(', ')
    .filter((entry) => entry.startsWith('URI:spiffe://'))
    .map((entry) => entry.slice(4));
}

export type MaterialInput = Omit<WorkloadMaterial, 'spiffeId' | 'notAfter' | 'version'>;

/** Holds the current snapshot; sources call `set` with complete, checked material. */
export class MaterialHolder {
  #current: WorkloadMaterial | undefined;
  readonly #listeners = new Set<(material: WorkloadMaterial) => void>();

  get loaded(): WorkloadMaterial | undefined {
    return this.#current;
  }

  current(): WorkloadMaterial {
    if (this.#current === undefined) throw new WorkloadCertificateError('ERR_GATEHOUSE_WORKLOAD_NOT_READY', 'the workload has no certificate yet: await identity.ready');
    return this.#current;
  }

  onChange(listener: (material: WorkloadMaterial) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Checks that key and certificate belong together, then publishes the snapshot (unless nothing changed). */
  set(input: MaterialInput): WorkloadMaterial {
    const current = this.#current;
    if (current !== undefined && sameMaterial(current, input)) return current;
    let leaf: X509Certificate;
    try {
      leaf = new X509Certificate(input.certificatePem);
    } catch (error) {
      throw new WorkloadCertificateError('ERR_GATEHOUSE_WORKLOAD_FILES', 'the workload certificate is not PEM', { cause: error });
    }
    if (!leaf.checkPrivateKey(createKey(input.privateKeyPem))) {
      throw new WorkloadCertificateError('ERR_GATEHOUSE_WORKLOAD_FILES', 'the private key does not belong to the workload certificate');
    }
    if (pemBlocks(input.bundlePem, 'CERTIFICATE').length === 0) throw new WorkloadCertificateError('ERR_GATEHOUSE_WORKLOAD_FILES', 'the trust bundle holds no certificate');
    const material: WorkloadMaterial = {
      ...input,
      spiffeId: spiffeIdsOf(leaf.subjectAltName)[0],
      notAfter: new Date(leaf.validTo),
      version: (this.#current?.version ?? 0) + 1,
    };
    this.#current = material;
    for (const listener of this.#listeners) listener(material);
    return material;
  }
}


function sameMaterial(current: MaterialInput, next: MaterialInput): boolean {
  return (
    current.certificatePem === next.certificatePem &&
    current.privateKeyPem === next.privateKeyPem &&
    current.bundlePem === next.bundlePem &&
    current.crlPems.join('') === next.crlPems.join('')
  );
}

function createKey(pem: string): KeyObject {
  try {
    return createPrivateKey(pem);
  } catch (error) {
    throw new WorkloadCertificateError('ERR_GATEHOUSE_WORKLOAD_FILES', 'the workload private key is not PEM', { cause: error });
  }
}
