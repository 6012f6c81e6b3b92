// Personal API tokens, by id and by SHA-256 hash; lists newest first (seq breaks ties within
// one second).
import type { ApiTokenRecord, ApiTokenStore } from '../identity-store.ts';
import { apiTokenFromRow, type ApiTokenRow } from '../rows/api-token-row.ts';
import { textJsonColumn } from '../rows/json-column.ts';
import { insertOrConflict, type SqliteDatabase } from './sqlite-database.ts';

const toApiToken = (row: ApiTokenRow): ApiTokenRecord => apiTokenFromRow(row, textJsonColumn);

export function sqliteApiTokenStore(db: SqliteDatabase): ApiTokenStore {
  const findBy = (column: 'id' | 'token_hash', value: string): ApiTokenRecord | undefined => {
    const row = db.get<ApiTokenRow>(`SELECT * FROM api_tokens WHERE ${column} = ?`, value);
    return row ? toApiToken(row) : undefined;
  };
  return {
    async create(record) {
      insertOrConflict(
        db, 'api_token', `an API token with this id, hash, or the name "${record.name}" for this user`,
        `INSERT INTO api_tokens (id, user_id, name, token_hash, display_prefix, scopes, created_at, expires_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        record.id, record.userId, record.name, record.tokenHash, record.displayPrefix,
        JSON.stringify(record.scopes), record.createdAt, record.expiresAt,
      );
      return findBy('id', record.id)!;
    },
    async findById(id) {
      return findBy('id', id);
    },
    async findByHash(tokenHash) {
      return findBy('token_hash', tokenHash);
    },
    async list(userId) {
      const rows = userId === undefined
        ? db.all<ApiTokenRow>('SELECT * FROM api_tokens ORDER BY created_at DESC, seq DESC')
        : db.all<ApiTokenRow>('SELECT * FROM api_tokens WHERE user_id = ? ORDER BY created_at DESC, seq DESC', userId);
      return rows.map(toApiToken);
    },
    async touch(id, lastUsedAt) {
      db.run('UPDATE api_tokens SET last_used_at = ? WHERE id = ?', lastUsedAt, id);
    },
    async revoke(id, revokedAt) {
      return db.run('UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL', revokedAt, id) === 1;
    },
  };
}
