// An api_tokens row → ApiTokenRecord, for both dialects; scopes is a JSON column.
import type { ApiTokenRecord } from '../identity-store.ts';
import type { JsonColumn } from './json-column.ts';

export interface ApiTokenRow {
  id: string;
  user_id: string;
  name: string;
  token_hash: string;
  display_prefix: string;
  scopes: unknown;
  created_at: number;
  expires_at: number | null;
  last_used_at: number | null;
  revoked_at: number | null;
}

export function apiTokenFromRow(row: ApiTokenRow, json: JsonColumn): ApiTokenRecord {
  return {
    id: row.id,
    userId: row.user_id,
    name: row.name,
    tokenHash: row.token_hash,
    displayPrefix: row.display_prefix,
    scopes: json(row.scopes) as string[],
    createdAt: row.created_at,
    expiresAt: row.expires_at ?? undefined,
    lastUsedAt: row.last_used_at ?? undefined,
    revokedAt: row.revoked_at ?? undefined,
  };
}
