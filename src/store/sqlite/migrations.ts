// Versioned schema migrations for the SQLite store. Each migration runs once, in order, inside
// one BEGIN IMMEDIATE transaction together with its schema_migrations row, so two processes
// opening the same new file at once cannot both apply it (the second waits, then sees it done).
// Append new migrations; never edit one that has shipped.
import { StoreError } from '../store-error.ts';
import type { SqliteDatabase } from './sqlite-database.ts';

export interface SqliteMigration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const SQLITE_MIGRATIONS: readonly SqliteMigration[] = [
  {
    version: 1,
    name: 'identity tables',
    sql: `
      CREATE TABLE oidc_models (
        model TEXT NOT NULL, id TEXT NOT NULL, payload TEXT NOT NULL,
        grant_id TEXT, uid TEXT, user_code TEXT, expires_at INTEGER,
        PRIMARY KEY (model, id));
      CREATE INDEX oidc_models_uid ON oidc_models (model, uid) WHERE uid IS NOT NULL;
      CREATE INDEX oidc_models_user_code ON oidc_models (model, user_code) WHERE user_code IS NOT NULL;
      CREATE INDEX oidc_models_grant ON oidc_models (model, grant_id) WHERE grant_id IS NOT NULL;
      CREATE INDEX oidc_models_expiry ON oidc_models (expires_at) WHERE expires_at IS NOT NULL;

      CREATE TABLE users (
        id TEXT PRIMARY KEY, username TEXT NOT NULL, username_key TEXT NOT NULL UNIQUE,
        password_hash TEXT NOT NULL, name TEXT, email TEXT,
        roles TEXT NOT NULL, user_groups TEXT NOT NULL, disabled INTEGER NOT NULL,
        created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);

      CREATE TABLE clients (
        client_id TEXT PRIMARY KEY, document TEXT NOT NULL,
        created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);

      CREATE TABLE api_tokens (
        seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, user_id TEXT NOT NULL,
        name TEXT NOT NULL, token_hash TEXT NOT NULL UNIQUE, display_prefix TEXT NOT NULL,
        scopes TEXT NOT NULL, created_at INTEGER NOT NULL, expires_at INTEGER,
        last_used_at INTEGER, revoked_at INTEGER,
        UNIQUE (user_id, name));

      CREATE TABLE signing_keys (
        kid TEXT PRIMARY KEY, position INTEGER NOT NULL, alg TEXT NOT NULL,
        public_jwk TEXT NOT NULL, encrypted_private_jwk TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('next', 'active', 'retired')),
        created_at INTEGER NOT NULL, activated_at INTEGER, retired_at INTEGER, remove_after INTEGER);

      CREATE TABLE throttle (
        key TEXT PRIMARY KEY, failures INTEGER NOT NULL, first_failure_at INTEGER NOT NULL,
        locked_until INTEGER, expires_at INTEGER NOT NULL);
      CREATE INDEX throttle_expiry ON throttle (expires_at);

      CREATE TABLE issued_tokens (
        jti TEXT PRIMARY KEY, grant_id TEXT, client_id TEXT NOT NULL, account_id TEXT,
        expires_at INTEGER NOT NULL);
      CREATE INDEX issued_tokens_grant ON issued_tokens (grant_id) WHERE grant_id IS NOT NULL;
      CREATE INDEX issued_tokens_client ON issued_tokens (client_id);
      CREATE INDEX issued_tokens_account ON issued_tokens (account_id) WHERE account_id IS NOT NULL;
      CREATE INDEX issued_tokens_expiry ON issued_tokens (expires_at);

      CREATE TABLE revocations (
        kind TEXT NOT NULL, value TEXT NOT NULL, revoked_at INTEGER NOT NULL, expires_at INTEGER NOT NULL,
        PRIMARY KEY (kind, value));
      CREATE INDEX revocations_expiry ON revocations (expires_at);

      CREATE TABLE documents (
        namespace TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,
        PRIMARY KEY (namespace, key));
    `,
  },
];

/** Applies every migration the file lacks; returns the versions applied now. */
export function migrateSqlite(db: SqliteDatabase, now: number, migrations: readonly SqliteMigration[] = SQLITE_MIGRATIONS): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)`);
  const known = migrations.at(-1)?.version ?? 0;
  const applied: number[] = [];
  for (const migration of migrations) {
    db.immediate(() => {
      const newest = db.get<{ version: number | null }>('SELECT max(version) AS version FROM schema_migrations')?.version ?? 0;
      if (newest > known) {
        throw new StoreError('ERR_STORE_SCHEMA_TOO_NEW', `${db.path} has schema version ${newest}; this Gatehouse knows up to ${known}`);
      }
      if (db.get('SELECT 1 FROM schema_migrations WHERE version = ?', migration.version)) return;
      db.exec(migration.sql);
      db.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', migration.version, migration.name, now);
      applied.push(migration.version);
    });
  }
  return applied;
}
