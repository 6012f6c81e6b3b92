// The demo's workload certificates, the two ways a real service gets one: from the identity
// service's CA endpoint with a one-time join token (the SDK makes the key and renews), or — when
// the demo runs on a directory CA — issued into files the SDK watches, re-issued at two thirds of
// their lifetime like an agent would.
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { workloadIdentityFromCa, workloadIdentityFromFiles, type WorkloadIdentity } from '../../packages/sdk/src/index.ts';
import { currentCrl } from '../pki/crl.ts';
import { resolveDirectoryPassphrase } from '../pki/directory-passphrase.ts';
import { DirectoryCaStore } from '../pki/directory-store.ts';
import { requestWorkloadCertificate } from '../pki/request-certificate.ts';

export type MeshCertificateSource =
  /** A directory CA (`gatehouse ca init --dir`); files go to DIR/workloads/. */
  | { readonly dir: string; readonly ttlSeconds?: number }
  /** The identity service's /ca/v1 endpoints, with one join token per workload. */
  | { readonly url: string; readonly joinTokens: Readonly<Record<string, string>>; readonly ttlSeconds?: number };

export interface DemoWorkload {
  readonly identity: WorkloadIdentity;
  close(): void;
}

async function writeAtomically(path: string, text: string, mode: number): Promise<void> {
  await writeFile(`${path}.tmp`, text, { mode });
  await rename(`${path}.tmp`, path);
}

async function fromDirectory(dir: string, name: string, spiffeId: string, ttlSeconds: number | undefined): Promise<DemoWorkload> {
  const store = new DirectoryCaStore(dir);
  const out = join(dir, 'workloads');
  await mkdir(out, { recursive: true, mode: 0o700 });
  const certificateFile = join(out, `${name}.crt.pem`);
  const keyFile = join(out, `${name}.key.pem`);
  let timer: NodeJS.Timeout | undefined;
  const issue = async (): Promise<void> => {
    const requestedAt = Date.now();
    const { passphrase } = await resolveDirectoryPassphrase(dir, { generateIfMissing: false });
    const { issued, privateKeyPem } = await requestWorkloadCertificate(store, passphrase, { spiffeId, dnsNames: ['localhost'], ttlSeconds });
    // A CA directory reused days later has a stale crl.pem, which TLS refuses (fail closed): re-sign it.
    await currentCrl(store, passphrase);
    // Key first: the SDK keeps its previous material until key and certificate match again.
    await writeAtomically(keyFile, privateKeyPem, 0o600);
    await writeAtomically(certificateFile, issued.chainPem, 0o644);
    timer = setTimeout(() => void issue().catch(() => undefined), ((issued.certificate.notAfter.getTime() - requestedAt) * 2) / 3);
    timer.unref();
  };
  await issue();
  const identity = workloadIdentityFromFiles({ certificateFile, keyFile, bundleFile: join(dir, 'bundle.pem'), crlFile: join(dir, 'crl.pem') });
  return {
    identity,
    close() {
      clearTimeout(timer);
      identity.close();
    },
  };
}

/** A started workload identity (ready) for `name` with SPIFFE ID `spiffeId`. */
export async function startDemoWorkload(source: MeshCertificateSource, name: string, spiffeId: string): Promise<DemoWorkload> {
  const workload =
    'dir' in source
      ? await fromDirectory(source.dir, name, spiffeId, source.ttlSeconds)
      : (() => {
          const joinToken = source.joinTokens[name];
          if (joinToken === undefined) throw new Error(`no join token for the demo workload "${name}"`);
          const identity = workloadIdentityFromCa({ caUrl: source.url, spiffeId, dnsNames: ['localhost'], joinToken, ttlSeconds: source.ttlSeconds });
          return { identity, close: () => identity.close() };
        })();
  try {
    await workload.identity.ready;
  } catch (error) {
    workload.close();
    throw error;
  }
  return workload;
}
