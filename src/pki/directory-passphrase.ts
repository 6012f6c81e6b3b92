// The passphrase that encrypts a directory CA's private keys: from GATEHOUSE_CA_PASSPHRASE, or —
// a development convenience only — from DIR/passphrase (mode 0600), which `ca init` generates
// when the variable is unset. Anyone who can read that file can use the CA.
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PkiError } from './pki-error.ts';

export const PASSPHRASE_ENV = 'GATEHOUSE_CA_PASSPHRASE';

export interface ResolvedPassphrase {
  readonly passphrase: string;
  /** Set when this call generated the passphrase file. */
  readonly generatedFile?: string;
}

export async function resolveDirectoryPassphrase(dir: string, options: { generateIfMissing: boolean }): Promise<ResolvedPassphrase> {
  const fromEnv = process.env[PASSPHRASE_ENV];
  if (fromEnv) return { passphrase: fromEnv };
  const file = join(dir, 'passphrase');
  try {
    const passphrase = (await readFile(file, 'utf8')).trim();
    if (passphrase) return { passphrase };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (!options.generateIfMissing) {
    throw new PkiError('ERR_CA_PASSPHRASE_MISSING', `set ${PASSPHRASE_ENV} (or keep the development file ${file}) to unlock the CA keys`);
  }
  const passphrase = randomBytes(32).toString('base64url');
  await writeFile(file, `${passphrase}\n`, { mode: 0o600, flag: 'wx' });
  return { passphrase, generatedFile: file };
}
