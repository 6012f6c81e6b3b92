// Versioned schema migrations for the PostgreSQL store. Several instances may start at once
// against one database, so the whole run (CREATE SCHEMA included: IF NOT EXISTS still races)
// holds a session advisory lock named after the schema; each migration commits together with
// its schema_migrations row. Append new migrations; never edit one that has shipped.
import pg from 'pg';
import { StoreError } from '../store-error.ts';
import { lockName } from './postgres-database.ts';

export interface PostgresMigration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const POSTGRES_MIGRATIONS: readonly PostgresMigration[] = [
  {
    version: 1,
    name: 'identity tables',
    sql: `
      CREATE TABLE oidc_models (
        model TEXT NOT NULL, id TEXT NOT NULL, payload JSONB NOT NULL,
        grant_id TEXT, uid TEXT, user_code TEXT, expires_at BIGINT,
        PRIMARY KEY (model, id));
      CREATE INDEX oidc_models_uid ON oidc_models (model, uid) WHERE uid IS NOT NULL;
      CREATE INDEX oidc_models_user_code ON oidc_models (model, user_code) WHERE user_code IS NOT NULL;
      CREATE INDEX oidc_models_grant ON oidc_models (model, grant_id) WHERE grant_id IS NOT NULL;
      CREATE INDEX oidc_models_expiry ON oidc_models (expires_at) WHERE expires_at IS NOT NULL;

      CREATE TABLE users (
        id TEXT PRIMARY KEY, username TEXT NOT NULL, username_key TEXT NOT NULL UNIQUE,
        password_hash TEXT NOT NULL, name TEXT, email TEXT,
        roles JSONB NOT NULL, user_groups JSONB NOT NULL, disabled BOOLEAN NOT NULL,
        created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL);

      CREATE TABLE clients (
        client_id TEXT PRIMARY KEY, document JSONB NOT NULL,
        created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL);

      CREATE TABLE api_tokens (
        seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, id TEXT NOT NULL UNIQUE, user_id TEXT NOT NULL,
        name TEXT NOT NULL, token_hash TEXT NOT NULL UNIQUE, display_prefix TEXT NOT NULL,
        scopes JSONB NOT NULL, created_at BIGINT NOT NULL, expires_at BIGINT,
        last_used_at BIGINT, revoked_at BIGINT,
        UNIQUE (user_id, name));

      CREATE TABLE signing_keys (
        kid TEXT PRIMARY KEY, position INTEGER NOT NULL, alg TEXT NOT NULL,
        public_jwk JSONB NOT NULL, encrypted_private_jwk TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('next', 'active', 'retired')),
        created_at BIGINT NOT NULL, activated_at BIGINT, retired_at BIGINT, remove_after BIGINT);

      CREATE TABLE throttle (
        key TEXT PRIMARY KEY, failures INTEGER NOT NULL, first_failure_at BIGINT NOT NULL,
        locked_until BIGINT, expires_at BIGINT NOT NULL);
      CREATE INDEX throttle_expiry ON throttle (expires_at);

      CREATE TABLE issued_tokens (
        jti TEXT PRIMARY KEY, grant_id TEXT, client_id TEXT NOT NULL, account_id TEXT,
        expires_at BIGINT NOT NULL);
      CREATE INDEX issued_tokens_grant ON issued_tokens (grant_id) WHERE grant_id IS NOT NULL;
      CREATE INDEX issued_tokens_client ON issued_tokens (client_id);
      CREATE INDEX issued_tokens_account ON issued_tokens (account_id) WHERE account_id IS NOT NULL;
      CREATE INDEX issued_tokens_expiry ON issued_tokens (expires_at);

      CREATE TABLE revocations (
        kind TEXT NOT NULL, value TEXT NOT NULL, revoked_at BIGINT NOT NULL, expires_at BIGINT NOT NULL,
        PRIMARY KEY (kind, value));
      CREATE INDEX revocations_expiry ON revocations (expires_at);

      CREATE TABLE documents (
        namespace TEXT NOT NULL, key TEXT NOT NULL, value JSONB NOT NULL,
        PRIMARY KEY (namespace, key));
    `,
  },
];

/** Creates the schema if needed and applies every migration it lacks; returns the versions applied now. */
export async function migratePostgres(
  pool: pg.Pool,
  schema: string | undefined,
  now: number,
  migrations: readonly PostgresMigration[] = POSTGRES_MIGRATIONS,
): Promise<number[]> {
  const client = await pool.connect();
  const lock = lockName('migrate', schema);
  try {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [lock]);
    try {
      // Look first: even CREATE SCHEMA IF NOT EXISTS checks the CREATE privilege on the database
      // even when the schema exists, and a deployment's user often owns only its schema.
      if (schema !== undefined && (await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema])).rowCount === 0) {
        await client.query(`CREATE SCHEMA ${pg.escapeIdentifier(schema)}`);
      }
      await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`);
      const done = new Set((await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((row) => row.version));
      const known = migrations.at(-1)?.version ?? 0;
      const newest = Math.max(0, ...done);
      if (newest > known) {
        throw new StoreError('ERR_STORE_SCHEMA_TOO_NEW', `PostgreSQL schema ${schema ?? 'public'} has version ${newest}; this Gatehouse knows up to ${known}`);
      }
      const applied: number[] = [];
      for (const migration of migrations) {
        if (done.has(migration.version)) continue;
        await client.query('BEGIN');
        try {
          await client.query(migration.sql);
          await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [migration.version, migration.name, now]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK');
          throw error;
        }
        applied.push(migration.version);
      }
      return applied;
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [lock]);
    }
  } finally {
    client.release();
  }
}
