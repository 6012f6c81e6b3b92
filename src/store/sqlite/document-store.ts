// Small JSON documents by (namespace, key), e.g. the store-backed CA's state.
import type { DocumentStore, JsonObject } from '../identity-store.ts';
import type { SqliteDatabase } from './sqlite-database.ts';

export function sqliteDocumentStore(db: SqliteDatabase): DocumentStore {
  return {
    async get(namespace, key) {
      const row = db.get<{ value: string }>('SELECT value FROM documents WHERE namespace = ? AND key = ?', namespace, key);
      return row ? (JSON.parse(row.value) as JsonObject) : undefined;
    },
    async put(namespace, key, value) {
      db.run(
        `INSERT INTO documents (namespace, key, value) VALUES (?, ?, ?)
         ON CONFLICT (namespace, key) DO UPDATE SET value = excluded.value`,
        namespace, key, JSON.stringify(value),
      );
    },
    async list(namespace) {
      return db
        .all<{ key: string; value: string }>('SELECT key, value FROM documents WHERE namespace = ? ORDER BY key', namespace)
        .map((row) => ({ key: row.key, value: JSON.parse(row.value) as JsonObject }));
    },
    async delete(namespace, key) {
      return db.run('DELETE FROM documents WHERE namespace = ? AND key = ?', namespace, key) > 0;
    },
  };
}
