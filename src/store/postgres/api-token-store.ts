// Personal API tokens, by id and by SHA-256 hash; lists newest first (seq breaks ties within
// one second).
import type pg from 'pg';
import type { ApiTokenRecord, ApiTokenStore } from '../identity-store.ts';
import { apiTokenFromRow, type ApiTokenRow } from '../rows/api-token-row.ts';
import { parsedJsonColumn } from '../rows/json-column.ts';
import { insertOrConflict } from './postgres-database.ts';

const toApiToken = (row: ApiTokenRow): ApiTokenRecord => apiTokenFromRow(row, parsedJsonColumn);

export function postgresApiTokenStore(pool: pg.Pool): ApiTokenStore {
  const findBy = async (column: 'id' | 'token_hash', value: string): Promise<ApiTokenRecord | undefined> => {
    const { rows } = await pool.query<ApiTokenRow>(`SELECT * FROM api_tokens WHERE ${column} = $1`, [value]);
    return rows[0] ? toApiToken(rows[0]) : undefined;
  };
  return {
    async create(record) {
      await insertOrConflict(
        pool, 'api_token', `an API token with this id, hash, or the name "${record.name}" for this user`,
        `INSERT INTO api_tokens (id, user_id, name, token_hash, display_prefix, scopes, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [record.id, record.userId, record.name, record.tokenHash, record.displayPrefix,
          JSON.stringify(record.scopes), record.createdAt, record.expiresAt ?? null],
      );
      return (await findBy('id', record.id))!;
    },
    findById: (id) => findBy('id', id),
    findByHash: (tokenHash) => findBy('token_hash', tokenHash),
    async list(userId) {
      const { rows } = userId === undefined
        ? await pool.query<ApiTokenRow>('SELECT * FROM api_tokens ORDER BY created_at DESC, seq DESC')
        : await pool.query<ApiTokenRow>('SELECT * FROM api_tokens WHERE user_id = $1 ORDER BY created_at DESC, seq DESC', [userId]);
      return rows.map(toApiToken);
    },
    async touch(id, lastUsedAt) {
      await pool.query('UPDATE api_tokens SET last_used_at = $1 WHERE id = $2', [lastUsedAt, id]);
    },
    async revoke(id, revokedAt) {
      const result = await pool.query('UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL', [revokedAt, id]);
      return result.rowCount === 1;
    },
  };
}
