// A users row → UserRecord, for both dialects. `disabled` is BOOLEAN in PostgreSQL and 0/1 in
// SQLite; roles and user_groups are JSON columns decoded by the dialect's JsonColumn.
import type { UserRecord } from '../identity-store.ts';
import type { JsonColumn } from './json-column.ts';

export interface UserRow {
  id: string;
  username: string;
  password_hash: string;
  name: string | null;
  email: string | null;
  roles: unknown;
  user_groups: unknown;
  disabled: boolean | number;
  created_at: number;
  updated_at: number;
}

export function userFromRow(row: UserRow, json: JsonColumn): UserRecord {
  return {
    id: row.id,
    username: row.username,
    passwordHash: row.password_hash,
    name: row.name ?? undefined,
    email: row.email ?? undefined,
    roles: json(row.roles) as string[],
    groups: json(row.user_groups) as string[],
    disabled: row.disabled === true || row.disabled === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
