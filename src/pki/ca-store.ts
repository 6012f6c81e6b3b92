// Where a certificate authority keeps its state. The CA logic (create, issue, revoke, CRL,
// rotation) only talks to this interface, so the directory CA used by `gatehouse ca --dir` and
// the identity-store-backed CA (SQLite / PostgreSQL, later) share every line of it.
// Stores hold PEM text and records only; private keys reach them already encrypted.

export interface CaConfig {
  readonly trustDomain: string;
  /** Default leaf lifetime when the caller names none. */
  readonly leafTtlSeconds: number;
  /** How long a CRL stays current (its nextUpdate, RFC 5280 §5.1.2.5). */
  readonly crlValiditySeconds: number;
}

/** A CA certificate and its private key, encrypted PKCS#8 PEM. */
export interface StoredAuthority {
  readonly certificatePem: string;
  readonly encryptedKeyPem: string;
}

export type AuthorityRole = 'root' | 'intermediate';

/** One issued leaf, indexed by serial (lowercase hex, as `ca issue` prints it). */
export interface IssuedRecord {
  readonly serial: string;
  readonly spiffeId: string;
  readonly dnsNames: readonly string[];
  readonly notBefore: string;
  readonly notAfter: string;
  /** Serial of the intermediate that signed it: its CRL is the one that lists the revocation. */
  readonly issuerSerial: string;
  readonly revokedAt?: string;
}

export interface CaStore {
  /** True once `init` has written a configuration. */
  isInitialized(): Promise<boolean>;
  readConfig(): Promise<CaConfig>;
  writeConfig(config: CaConfig): Promise<void>;

  /** The root certificates relying parties trust (PEM, one per entry). */
  readBundle(): Promise<string[]>;
  writeBundle(certificatePems: readonly string[]): Promise<void>;

  /** The authority that signs now: the root signs intermediates, the intermediate signs leaves. */
  readActive(role: AuthorityRole): Promise<StoredAuthority>;
  writeActive(role: AuthorityRole, authority: StoredAuthority): Promise<void>;
  /** Authorities replaced by a rotation; kept so their CRLs can still be signed until they expire. */
  readRetired(role: AuthorityRole): Promise<StoredAuthority[]>;
  addRetired(role: AuthorityRole, authority: StoredAuthority): Promise<void>;

  recordIssued(record: IssuedRecord): Promise<void>;
  readIssued(serial: string): Promise<IssuedRecord | undefined>;
  listIssued(): Promise<IssuedRecord[]>;

  /** The last CRL(s) signed, PEM; undefined before the first one. */
  readCrl(): Promise<string | undefined>;
  writeCrl(pem: string): Promise<void>;
}
