// A CaStore over the identity store's documents (SQLite or PostgreSQL), for `gatehouse ca
// --config IDENTITY.yaml` and the identity service's /ca/v1 endpoints. Same layout as the
// directory CA, one document per file:
//   ca / config                       trust domain and defaults
//   ca / bundle                       { certificates: [PEM…] } the roots to trust
//   ca / active:<role>                { certificatePem, encryptedKeyPem }
//   ca / retired:<role>:<serial>      authorities replaced by `ca rotate`
//   ca / crl                          { pem } the current CRL(s)
//   ca.issued / <serial>              one record per issued leaf
// Keys arrive already encrypted (src/pki/private-key-pem.ts): the store never sees them in clear.
import type { DocumentStore, JsonObject } from '../store/identity-store.ts';
import type { AuthorityRole, CaConfig, CaStore, IssuedRecord, StoredAuthority } from './ca-store.ts';
import { PkiError } from './pki-error.ts';
import { x509 } from './x509-crypto.ts';

export const CA_NAMESPACE = 'ca';
export const ISSUED_NAMESPACE = 'ca.issued';

const SERIAL = /^[0-9a-f]+$/;

export class DocumentCaStore implements CaStore {
  readonly #documents: DocumentStore;

  constructor(documents: DocumentStore) {
    this.#documents = documents;
  }

  async #read(key: string): Promise<JsonObject> {
    const value = await this.#documents.get(CA_NAMESPACE, key);
    if (value === undefined) throw new PkiError('ERR_CA_NOT_INITIALIZED', 'the identity store holds no CA: run "gatehouse ca init --config …" first');
    return value;
  }

  async isInitialized(): Promise<boolean> {
    return (await this.#documents.get(CA_NAMESPACE, 'config')) !== undefined;
  }

  async readConfig(): Promise<CaConfig> {
    return (await this.#read('config')) as unknown as CaConfig;
  }

  async writeConfig(config: CaConfig): Promise<void> {
    await this.#documents.put(CA_NAMESPACE, 'config', { ...config });
  }

  async readBundle(): Promise<string[]> {
    return (await this.#read('bundle')).certificates as string[];
  }

  async writeBundle(certificatePems: readonly string[]): Promise<void> {
    await this.#documents.put(CA_NAMESPACE, 'bundle', { certificates: [...certificatePems] });
  }

  async readActive(role: AuthorityRole): Promise<StoredAuthority> {
    return toAuthority(await this.#read(`active:${role}`));
  }

  async writeActive(role: AuthorityRole, authority: StoredAuthority): Promise<void> {
    await this.#documents.put(CA_NAMESPACE, `active:${role}`, { ...authority });
  }

  async readRetired(role: AuthorityRole): Promise<StoredAuthority[]> {
    const prefix = `retired:${role}:`;
    return (await this.#documents.list(CA_NAMESPACE))
      .filter((entry) => entry.key.startsWith(prefix))
      .sort((a, b) => a.key.localeCompare(b.key))
      .map((entry) => toAuthority(entry.value));
  }

  async addRetired(role: AuthorityRole, authority: StoredAuthority): Promise<void> {
    const serial = new x509.X509Certificate(authority.certificatePem).serialNumber.toLowerCase();
    await this.#documents.put(CA_NAMESPACE, `retired:${role}:${serial}`, { ...authority });
  }

  async recordIssued(record: IssuedRecord): Promise<void> {
    if (!SERIAL.test(record.serial)) throw new PkiError('ERR_SERIAL_INVALID', `"${record.serial}" is not a lowercase hex serial`);
    await this.#documents.put(ISSUED_NAMESPACE, record.serial, { ...record, dnsNames: [...record.dnsNames] });
  }

  async readIssued(serial: string): Promise<IssuedRecord | undefined> {
    if (!SERIAL.test(serial)) return undefined;
    return (await this.#documents.get(ISSUED_NAMESPACE, serial)) as unknown as IssuedRecord | undefined;
  }

  async listIssued(): Promise<IssuedRecord[]> {
    return (await this.#documents.list(ISSUED_NAMESPACE)).map((entry) => entry.value as unknown as IssuedRecord);
  }

  async readCrl(): Promise<string | undefined> {
    const stored = await this.#documents.get(CA_NAMESPACE, 'crl');
    return stored === undefined ? undefined : (stored.pem as string);
  }

  async writeCrl(pem: string): Promise<void> {
    await this.#documents.put(CA_NAMESPACE, 'crl', { pem });
  }
}

function toAuthority(value: JsonObject): StoredAuthority {
  return { certificatePem: value.certificatePem as string, encryptedKeyPem: value.encryptedKeyPem as string };
}
