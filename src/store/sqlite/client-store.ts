// OAuth client documents, keyed by client id. put() keeps the original createdAt.
import type { ClientRecord, ClientStore } from '../identity-store.ts';
import { clientFromRow, type ClientRow } from '../rows/client-row.ts';
import { textJsonColumn } from '../rows/json-column.ts';
import type { SqliteDatabase } from './sqlite-database.ts';

const toClient = (row: ClientRow): ClientRecord => clientFromRow(row, textJsonColumn);

export function sqliteClientStore(db: SqliteDatabase): ClientStore {
  const find = (clientId: string): ClientRecord | undefined => {
    const row = db.get<ClientRow>('SELECT * FROM clients WHERE client_id = ?', clientId);
    return row ? toClient(row) : undefined;
  };
  return {
    async put(clientId, document, now) {
      db.run(
        `INSERT INTO clients (client_id, document, created_at, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (client_id) DO UPDATE SET document = excluded.document, updated_at = excluded.updated_at`,
        clientId, JSON.stringify(document), now, now,
      );
      return find(clientId)!;
    },
    async find(clientId) {
      return find(clientId);
    },
    async list() {
      return db.all<ClientRow>('SELECT * FROM clients ORDER BY client_id').map(toClient);
    },
    async remove(clientId) {
      return db.run('DELETE FROM clients WHERE client_id = ?', clientId) > 0;
    },
  };
}
