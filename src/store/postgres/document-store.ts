// Small JSON documents by (namespace, key), e.g. the store-backed CA's state.
import type pg from 'pg';
import type { DocumentStore, JsonObject } from '../identity-store.ts';

export function postgresDocumentStore(pool: pg.Pool): DocumentStore {
  return {
    async get(namespace, key) {
      const { rows } = await pool.query<{ value: JsonObject }>('SELECT value FROM documents WHERE namespace = $1 AND key = $2', [namespace, key]);
      return rows[0]?.value;
    },
    async put(namespace, key, value) {
      await pool.query(
        `INSERT INTO documents (namespace, key, value) VALUES ($1, $2, $3)
         ON CONFLICT (namespace, key) DO UPDATE SET value = excluded.value`,
        [namespace, key, JSON.stringify(value)],
      );
    },
    async list(namespace) {
      const { rows } = await pool.query<{ key: string; value: JsonObject }>(
        'SELECT key, value FROM documents WHERE namespace = $1 ORDER BY key COLLATE "C"', [namespace],
      );
      return rows;
    },
    async delete(namespace, key) {
      return ((await pool.query('DELETE FROM documents WHERE namespace = $1 AND key = $2', [namespace, key])).rowCount ?? 0) > 0;
    },
  };
}
