// The IdentityStore on one SQLite file: the default for a single identity instance. Opening
// creates the file (and its directory) and applies pending migrations.
import type { IdentityStore } from '../identity-store.ts';
import { systemClock, type StoreOptions } from '../store-options.ts';
import { sqliteApiTokenStore } from './api-token-store.ts';
import { sqliteClientStore } from './client-store.ts';
import { sqliteDocumentStore } from './document-store.ts';
import { migrateSqlite } from './migrations.ts';
import { sqliteOidcModelStore } from './oidc-model-store.ts';
import { sqliteSigningKeyStore } from './signing-key-store.ts';
import { SqliteDatabase } from './sqlite-database.ts';
import { sqliteThrottleStore } from './throttle-store.ts';
import { sqliteIssuedTokenStore, sqliteRevocationStore } from './token-ledger.ts';
import { sqliteUserStore } from './user-store.ts';

// Tables whose rows carry an expiry the sweeper enforces.
const EXPIRING_TABLES = ['oidc_models', 'throttle', 'issued_tokens', 'revocations'] as const;

export async function openSqliteStore(path: string, options: StoreOptions = {}): Promise<IdentityStore> {
  const clock = options.clock ?? systemClock;
  const db = new SqliteDatabase(path);
  try {
    migrateSqlite(db, clock());
  } catch (error) {
    db.close();
    throw error;
  }
  return {
    driver: 'sqlite',
    oidc: sqliteOidcModelStore(db, clock),
    users: sqliteUserStore(db),
    clients: sqliteClientStore(db),
    apiTokens: sqliteApiTokenStore(db),
    signingKeys: sqliteSigningKeyStore(db),
    throttle: sqliteThrottleStore(db, clock),
    issuedTokens: sqliteIssuedTokenStore(db),
    revocations: sqliteRevocationStore(db),
    documents: sqliteDocumentStore(db),
    async sweepExpired(now) {
      return db.immediate(() =>
        EXPIRING_TABLES.reduce((removed, table) => removed + db.run(`DELETE FROM ${table} WHERE expires_at <= ?`, now), 0),
      );
    },
    async ping() {
      db.get('SELECT 1');
    },
    async close() {
      db.close();
    },
  };
}
