// Opens the identity store a StoreConfig names: SQLite (one instance, the default) or
// PostgreSQL (several instances sharing one database). Migrations run before this resolves.
import type { IdentityStore, StoreConfig } from './identity-store.ts';
import { openPostgresStore } from './postgres/postgres-store.ts';
import { openSqliteStore } from './sqlite/sqlite-store.ts';
import type { StoreOptions } from './store-options.ts';

export { openPostgresStore, type PostgresStoreOptions } from './postgres/postgres-store.ts';
export { openSqliteStore } from './sqlite/sqlite-store.ts';
export type { StoreOptions } from './store-options.ts';

export async function openStore(config: StoreConfig, options: StoreOptions = {}): Promise<IdentityStore> {
  switch (config.driver) {
    case 'sqlite':
      return openSqliteStore(config.path, options);
    case 'postgres':
      return openPostgresStore({ url: config.url, schema: config.schema, maxConnections: config.maxConnections, ...options });
  }
}
