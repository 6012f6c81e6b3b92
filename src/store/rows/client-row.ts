// A clients row → ClientRecord, for both dialects; document is a JSON column.
import type { ClientRecord, JsonObject } from '../identity-store.ts';
import type { JsonColumn } from './json-column.ts';

export interface ClientRow {
  client_id: string;
  document: unknown;
  created_at: number;
  updated_at: number;
}

export function clientFromRow(row: ClientRow, json: JsonColumn): ClientRecord {
  return { clientId: row.client_id, document: json(row.document) as JsonObject, createdAt: row.created_at, updatedAt: row.updated_at };
}
