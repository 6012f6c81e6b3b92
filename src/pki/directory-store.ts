// A CaStore in a plain directory, for `gatehouse ca --dir DIR`:
//   config.json                    trust domain and defaults
//   bundle.pem                     the root certificates to trust
//   root.crt.pem / root.key.pem    the signing root (key encrypted)
//   intermediate.crt.pem / .key.pem the signing intermediate (key encrypted)
//   retired/<role>-<serial>.crt.pem / .key.pem   authorities replaced by `ca rotate`
//   issued/<serial>.json           one record per issued leaf
//   crl.pem                        the current CRL(s)
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AuthorityRole, CaConfig, CaStore, IssuedRecord, StoredAuthority } from './ca-store.ts';
import { joinPem, splitPemCertificates } from './pem-blocks.ts';
import { PkiError } from './pki-error.ts';
import { x509 } from './x509-crypto.ts';

const SERIAL = /^[0-9a-f]+$/;

function missing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}

export class DirectoryCaStore implements CaStore {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = dir;
  }

  private path(...parts: string[]): string {
    return join(this.dir, ...parts);
  }

  private async read(name: string): Promise<string> {
    try {
      return await readFile(this.path(name), 'utf8');
    } catch (error) {
      if (missing(error)) throw new PkiError('ERR_CA_NOT_INITIALIZED', `${this.path(name)} is missing: run "gatehouse ca init --dir ${this.dir}" first`);
      throw error;
    }
  }

  // Write to a temporary name and rename: a crash never leaves a half-written PEM behind.
  private async write(name: string, text: string, mode = 0o644): Promise<void> {
    const target = this.path(name);
    const temporary = `${target}.${process.pid}.tmp`;
    await writeFile(temporary, text, { mode });
    await rename(temporary, target);
  }

  async isInitialized(): Promise<boolean> {
    try {
      await readFile(this.path('config.json'));
      return true;
    } catch (error) {
      if (missing(error)) return false;
      throw error;
    }
  }

  async readConfig(): Promise<CaConfig> {
    return JSON.parse(await this.read('config.json')) as CaConfig;
  }

  async writeConfig(config: CaConfig): Promise<void> {
    await mkdir(this.path('issued'), { recursive: true });
    await mkdir(this.path('retired'), { recursive: true, mode: 0o700 });
    await this.write('config.json', `${JSON.stringify(config, null, 2)}\n`);
  }

  async readBundle(): Promise<string[]> {
    return splitPemCertificates(await this.read('bundle.pem'));
  }

  async writeBundle(certificatePems: readonly string[]): Promise<void> {
    await this.write('bundle.pem', joinPem(certificatePems));
  }

  async readActive(role: AuthorityRole): Promise<StoredAuthority> {
    return { certificatePem: await this.read(`${role}.crt.pem`), encryptedKeyPem: await this.read(`${role}.key.pem`) };
  }

  async writeActive(role: AuthorityRole, authority: StoredAuthority): Promise<void> {
    await this.write(`${role}.key.pem`, authority.encryptedKeyPem, 0o600);
    await this.write(`${role}.crt.pem`, authority.certificatePem);
  }

  async readRetired(role: AuthorityRole): Promise<StoredAuthority[]> {
    const names = (await readdir(this.path('retired'))).filter((name) => name.startsWith(`${role}-`) && name.endsWith('.crt.pem'));
    const authorities: StoredAuthority[] = [];
    for (const name of names.sort()) {
      const stem = name.slice(0, -'.crt.pem'.length);
      authorities.push({
        certificatePem: await this.read(join('retired', name)),
        encryptedKeyPem: await this.read(join('retired', `${stem}.key.pem`)),
      });
    }
    return authorities;
  }

  async addRetired(role: AuthorityRole, authority: StoredAuthority): Promise<void> {
    const serial = new x509.X509Certificate(authority.certificatePem).serialNumber.toLowerCase();
    await this.write(join('retired', `${role}-${serial}.key.pem`), authority.encryptedKeyPem, 0o600);
    await this.write(join('retired', `${role}-${serial}.crt.pem`), authority.certificatePem);
  }

  async recordIssued(record: IssuedRecord): Promise<void> {
    if (!SERIAL.test(record.serial)) throw new PkiError('ERR_SERIAL_INVALID', `"${record.serial}" is not a lowercase hex serial`);
    await this.write(join('issued', `${record.serial}.json`), `${JSON.stringify(record, null, 2)}\n`);
  }

  async readIssued(serial: string): Promise<IssuedRecord | undefined> {
    if (!SERIAL.test(serial)) return undefined;
    try {
      return JSON.parse(await readFile(this.path('issued', `${serial}.json`), 'utf8')) as IssuedRecord;
    } catch (error) {
      if (missing(error)) return undefined;
      throw error;
    }
  }

  async listIssued(): Promise<IssuedRecord[]> {
    const names = (await readdir(this.path('issued'))).filter((name) => name.endsWith('.json'));
    const records = await Promise.all(names.map((name) => readFile(this.path('issued', name), 'utf8')));
    return records.map((text) => JSON.parse(text) as IssuedRecord);
  }

  async readCrl(): Promise<string | undefined> {
    try {
      return await readFile(this.path('crl.pem'), 'utf8');
    } catch (error) {
      if (missing(error)) return undefined;
      throw error;
    }
  }

  async writeCrl(pem: string): Promise<void> {
    await this.write('crl.pem', pem);
  }
}
