// A pg Pool set up for the identity store: every connection's search_path names our schema
// (so all SQL stays unqualified and tests isolate by schema), BIGINT columns come back as
// numbers (epoch seconds fit easily in a double), and errors map to the store's error types.
import pg from 'pg';
import { StoreConflictError } from '../identity-store.ts';
import { StoreError } from '../store-error.ts';

// PostgreSQL SQLSTATE for a violated unique or primary-key constraint.
const UNIQUE_VIOLATION = '23505';
// OID of int8 (bigint): count(*) and every epoch-seconds column.
const INT8_OID = 20;
/** How long a query waits for a pooled connection (new or freed) before failing. */
export const CONNECT_TIMEOUT_MS = 10_000;
// An unquoted-style identifier: no quoting games in DDL or in the search_path option.
const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

export type Queryable = Pick<pg.PoolClient, 'query'>;

export interface PostgresConnectOptions {
  readonly url: string;
  readonly schema?: string;
  readonly maxConnections?: number;
}

export function checkSchemaName(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) {
    throw new StoreError('ERR_STORE_SCHEMA_NAME', `PostgreSQL schema "${schema}" must be letters, digits and _ (not starting with a digit), at most 63 characters`);
  }
  return schema;
}

/**
 * Connection options with `-c search_path=<schema>` added. It rides in the startup packet, so it
 * holds before the first query on every pooled connection; an `options` parameter already in
 * the URL is kept (pg would otherwise let the URL's value replace ours).
 */
function connectionSettings(url: string, schema: string | undefined): { connectionString: string; options: string | undefined } {
  if (schema === undefined) return { connectionString: url, options: undefined };
  const searchPath = `-c search_path=${pg.escapeIdentifier(schema)}`;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { connectionString: url, options: searchPath };
  }
  const given = parsed.searchParams.get('options');
  parsed.searchParams.delete('options');
  return { connectionString: parsed.href, options: given ? `${given} ${searchPath}` : searchPath };
}

export function createPool(options: PostgresConnectOptions): pg.Pool {
  const types = new pg.TypeOverrides();
  types.setTypeParser(INT8_OID, (value: string) => Number(value));
  const pool = new pg.Pool({
    ...connectionSettings(options.url, options.schema),
    max: options.maxConnections ?? 10,
    // Without a bound, a query waits forever for an unreachable server or an exhausted pool,
    // and readiness (ping) would hang instead of failing.
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    types,
  });
  // An idle connection dropped by the server emits 'error' on the pool; without a listener that
  // would crash the process. pg discards the connection, and the next query reconnects (or
  // fails, which is what ping()/readiness reports).
  pool.on('error', () => {});
  return pool;
}

export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string }).code === UNIQUE_VIOLATION;
}

/** Runs a write, turning a unique-key violation into StoreConflictError(entity). */
export async function insertOrConflict(db: Queryable, entity: string, describe: string, sql: string, params: unknown[]): Promise<void> {
  try {
    await db.query(sql, params);
  } catch (error) {
    if (isUniqueViolation(error)) throw new StoreConflictError(entity, `${describe} already exists`);
    throw error;
  }
}

/** BEGIN … COMMIT on one pooled connection; ROLLBACK when `work` throws. */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    // A connection that cannot even roll back is not handed to the next caller.
    await client.query('ROLLBACK').catch(() => (broken = true));
    throw error;
  } finally {
    client.release(broken);
  }
}

/** Advisory lock keys are database-wide: name them per schema so stores in other schemas never wait on ours. */
export function lockName(purpose: string, schema: string | undefined): string {
  return `gatehouse:${purpose}:${schema ?? 'public'}`;
}
