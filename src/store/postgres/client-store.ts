// OAuth client documents, keyed by client id. put() keeps the original createdAt.
import type pg from 'pg';
import type { ClientRecord, ClientStore, JsonObject } from '../identity-store.ts';

interface ClientRow {
  client_id: string;
  document: JsonObject;
  created_at: number;
  updated_at: number;
}

function toClient(row: ClientRow): ClientRecord {
  return { clientId: row.client_id, document: row.document, createdAt: row.created_at, updatedAt: row.updated_at };
}

export function postgresClientStore(pool: pg.Pool): ClientStore {
  return {
    async put(clientId, document, now) {
      const { rows } = await pool.query<ClientRow>(
        `INSERT INTO clients (client_id, document, created_at, updated_at) VALUES ($1, $2, $3, $3)
         ON CONFLICT (client_id) DO UPDATE SET document = excluded.document, updated_at = excluded.updated_at
         RETURNING *`,
        [clientId, JSON.stringify(document), now],
      );
      return toClient(rows[0]);
    },
    async find(clientId) {
      const { rows } = await pool.query<ClientRow>('SELECT * FROM clients WHERE client_id = $1', [clientId]);
      return rows[0] ? toClient(rows[0]) : undefined;
    },
    async list() {
      return (await pool.query<ClientRow>('SELECT * FROM clients ORDER BY client_id COLLATE "C"')).rows.map(toClient);
    },
    async remove(clientId) {
      return ((await pool.query('DELETE FROM clients WHERE client_id = $1', [clientId])).rowCount ?? 0) > 0;
    },
  };
}
