// The IdentityStore on PostgreSQL, for several identity instances sharing one database. All
// tables live in one schema (created if missing), so a test or a second deployment isolates by
// schema name. Opening applies pending migrations under an advisory lock.
import type { IdentityStore } from '../identity-store.ts';
import { systemClock, type StoreOptions } from '../store-options.ts';
import { postgresApiTokenStore } from './api-token-store.ts';
import { postgresClientStore } from './client-store.ts';
import { postgresDocumentStore } from './document-store.ts';
import { migratePostgres } from './migrations.ts';
import { postgresOidcModelStore } from './oidc-model-store.ts';
import { checkSchemaName, createPool, inTransaction, type PostgresConnectOptions } from './postgres-database.ts';
import { postgresSigningKeyStore } from './signing-key-store.ts';
import { postgresThrottleStore } from './throttle-store.ts';
import { postgresIssuedTokenStore, postgresRevocationStore } from './token-ledger.ts';
import { postgresUserStore } from './user-store.ts';

// Tables whose rows carry an expiry the sweeper enforces.
const EXPIRING_TABLES = ['oidc_models', 'throttle', 'issued_tokens', 'revocations'] as const;

export type PostgresStoreOptions = PostgresConnectOptions & StoreOptions;

export async function openPostgresStore(options: PostgresStoreOptions): Promise<IdentityStore> {
  const schema = options.schema === undefined ? undefined : checkSchemaName(options.schema);
  const clock = options.clock ?? systemClock;
  const pool = createPool({ ...options, schema });
  try {
    await migratePostgres(pool, schema, clock());
  } catch (error) {
    await pool.end();
    throw error;
  }
  let closed: Promise<void> | undefined;
  return {
    driver: 'postgres',
    oidc: postgresOidcModelStore(pool, clock),
    users: postgresUserStore(pool),
    clients: postgresClientStore(pool),
    apiTokens: postgresApiTokenStore(pool),
    signingKeys: postgresSigningKeyStore(pool, schema),
    throttle: postgresThrottleStore(pool, clock),
    issuedTokens: postgresIssuedTokenStore(pool),
    revocations: postgresRevocationStore(pool),
    documents: postgresDocumentStore(pool),
    sweepExpired(now) {
      return inTransaction(pool, async (client) => {
        let removed = 0;
        for (const table of EXPIRING_TABLES) {
          removed += (await client.query(`DELETE FROM ${table} WHERE expires_at <= $1`, [now])).rowCount ?? 0;
        }
        return removed;
      });
    },
    async ping() {
      await pool.query('SELECT 1');
    },
    close() {
      closed ??= pool.end();
      return closed;
    },
  };
}
