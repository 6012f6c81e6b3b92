// Personal API tokens, by id and by SHA-256 hash; lists newest first (seq breaks ties within
// one second).
import type pg from 'pg';
import type { ApiTokenRecord, ApiTokenStore } from '../identity-store.ts';
import { insertOrConflict } from './postgres-database.ts';

interface ApiTokenRow {
  id: string;
  user_id: string;
  name: string;
  token_hash: string;
  display_prefix: string;
  scopes: string[];
  created_at: number;
  expires_at: number | null;
  last_used_at: number | null;
  revoked_at: number | null;
}

function toApiToken(row: ApiTokenRow): ApiTokenRecord {
  return {
    id: row.id,
    userId: row.user_id,
    name: row.name,
    tokenHash: row.token_hash,
    displayPrefix: row.display_prefix,
    scopes: row.scopes,
    createdAt: row.created_at,
    expiresAt: row.expires_at ?? undefined,
    lastUsedAt: row.last_used_at ?? undefined,
    revokedAt: row.revoked_at ?? undefined,
  };
}

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
