// The demo's internal CA (docs/pki.md): a directory CA in a temporary directory, made at every
// start and removed at stop, that issues the order and user services their SPIFFE workload
// certificates for the zero-trust pair (src/demo/mesh.ts). Nothing of it outlives the demo, so
// its passphrase is generated into the directory, as `gatehouse ca init --dir` does.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initCertificateAuthority } from '../pki/create-ca.ts';
import { resolveDirectoryPassphrase } from '../pki/directory-passphrase.ts';
import { DirectoryCaStore } from '../pki/directory-store.ts';

export const DEMO_TRUST_DOMAIN = 'demo.gatehouse.dev';

export interface DemoCa {
  readonly dir: string;
  readonly trustDomain: string;
  remove(): Promise<void>;
}

export async function createDemoCa(): Promise<DemoCa> {
  const dir = await mkdtemp(join(tmpdir(), 'gatehouse-demo-ca-'));
  const remove = () => rm(dir, { recursive: true, force: true });
  try {
    const { passphrase } = await resolveDirectoryPassphrase(dir, { generateIfMissing: true });
    await initCertificateAuthority(new DirectoryCaStore(dir), { trustDomain: DEMO_TRUST_DOMAIN, passphrase });
  } catch (error) {
    await remove();
    throw error;
  }
  return { dir, trustDomain: DEMO_TRUST_DOMAIN, remove };
}
