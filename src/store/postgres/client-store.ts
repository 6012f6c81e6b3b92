// OAuth client documents, keyed by client id. put() keeps the original createdAt.
import type pg from 'pg';
import type { ClientRecord, ClientStore } from '../identity-store.ts';
import { clientFromRow, type ClientRow } from '../rows/client-row.ts';
import { parsedJsonColumn } from '../rows/json-column.ts';

const toClient = (row: ClientRow): ClientRecord => clientFromRow(row, parsedJsonColumn);

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
