// Where `gatehouse ca` finds its CA: a directory (`--dir DIR`, keys under GATEHOUSE_CA_PASSPHRASE)
// or the identity service's store (`--config IDENTITY.yaml`, SQLite or PostgreSQL, keys under a
// passphrase derived from the identity key-encryption key). Every subcommand runs the same CA
// code on either; only where the trust bundle is published differs.
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { IdentityConfig } from '../identity/identity-config.ts';
import type { CaStore } from '../pki/ca-store.ts';
import { resolveDirectoryPassphrase } from '../pki/directory-passphrase.ts';
import { DirectoryCaStore } from '../pki/directory-store.ts';
import { PkiError } from '../pki/pki-error.ts';
import { caPassphraseFromKek } from '../pki/store-passphrase.ts';
import type { IdentityStore } from '../store/identity-store.ts';
import { CommandFailure, UsageError } from './cli-errors.ts';

export const TARGET_OPTIONS = { dir: { type: 'string' }, config: { type: 'string' } } as const;

export interface CaTarget {
  readonly store: CaStore;
  /** For messages: the directory, or "the identity store of FILE". */
  readonly label: string;
  /** Where relying parties get the roots: a file path or the bundle endpoint. */
  readonly bundleLocation: string;
  /** The identity store (only with --config), e.g. for join tokens. */
  readonly identity?: { readonly store: IdentityStore; readonly config: IdentityConfig };
  passphrase(options?: { generateIfMissing: boolean }): Promise<string>;
  close(): Promise<void>;
}

interface TargetValues {
  dir?: string;
  config?: string;
}

// Loaded on demand: a directory CA needs neither the config schemas nor the database drivers.
async function openConfigTarget(path: string): Promise<CaTarget> {
  const [{ ConfigError }, { loadIdentityConfig }, { openStore }, { DocumentCaStore }] = await Promise.all([
    import('../config/config-error.ts'),
    import('../identity/identity-config.ts'),
    import('../store/open-store.ts'),
    import('../pki/document-ca-store.ts'),
  ]);
  let config: IdentityConfig;
  try {
    config = await loadIdentityConfig(resolve(path));
  } catch (error) {
    if (error instanceof ConfigError) throw new CommandFailure(error.code, error.message);
    throw error;
  }
  const store = await openStore(config.storage);
  return {
    store: new DocumentCaStore(store.documents),
    label: `the identity store of ${path}`,
    bundleLocation: `${config.issuer}/ca/v1/bundle (or "gatehouse ca bundle --config ${path}")`,
    identity: { store, config },
    passphrase: async () => caPassphraseFromKek(config.keyEncryptionKey),
    close: () => store.close(),
  };
}

function openDirectoryTarget(dirOption: string): CaTarget {
  const dir = resolve(dirOption);
  return {
    store: new DirectoryCaStore(dir),
    label: dir,
    bundleLocation: resolve(dir, 'bundle.pem'),
    async passphrase(options = { generateIfMissing: false }) {
      const resolved = await resolveDirectoryPassphrase(dir, options);
      if (resolved.generatedFile) {
        process.stderr.write(
          `warning: GATEHOUSE_CA_PASSPHRASE is not set; generated a passphrase in ${resolved.generatedFile} (mode 0600).\n` +
            '         This is a development convenience: set GATEHOUSE_CA_PASSPHRASE and delete that file for real use.\n',
        );
      }
      return resolved.passphrase;
    },
    close: async () => undefined,
  };
}

/** The CA named by --dir or --config; `mustExist` refuses one that `ca init` has not created. */
export async function openCaTarget(command: string, values: TargetValues, options: { mustExist: boolean }): Promise<CaTarget> {
  if (values.dir !== undefined && values.config !== undefined) throw new UsageError(command, 'name --dir or --config, not both');
  if (values.dir === undefined && values.config === undefined) throw new UsageError(command, 'missing required option --dir (or --config)');
  if (values.dir !== undefined && !options.mustExist) await mkdir(resolve(values.dir), { recursive: true, mode: 0o700 });
  const target = values.dir !== undefined ? openDirectoryTarget(values.dir) : await openConfigTarget(values.config as string);
  if (options.mustExist && !(await target.store.isInitialized())) {
    await target.close();
    const where = target.label;
    const flag = values.dir !== undefined ? `--dir ${resolve(values.dir)}` : `--config ${values.config}`;
    throw new PkiError('ERR_CA_NOT_INITIALIZED', `${where} holds no CA: run "gatehouse ca init ${flag} --trust-domain TD" first`);
  }
  return target;
}

/** Opens the target, runs `work`, and always closes the store. */
export async function withCaTarget<T>(command: string, values: TargetValues, options: { mustExist: boolean }, work: (target: CaTarget) => Promise<T>): Promise<T> {
  const target = await openCaTarget(command, values, options);
  try {
    return await work(target);
  } finally {
    await target.close();
  }
}
