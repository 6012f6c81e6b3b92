// Issued JWT access tokens (so a grant, client or user can be revoked token by token) and the
// revocation list gateways load.
import type pg from 'pg';
import type { IssuedTokenRecord, IssuedTokenStore, RevocationStore } from '../identity-store.ts';
import { issuedTokenFromRow, type IssuedTokenRow } from '../rows/issued-token-row.ts';
import { revocationFromRow, type RevocationRow } from '../rows/revocation-row.ts';

export function postgresIssuedTokenStore(pool: pg.Pool): IssuedTokenStore {
  const by = async (column: 'grant_id' | 'client_id' | 'account_id', value: string): Promise<IssuedTokenRecord[]> => {
    const { rows } = await pool.query<IssuedTokenRow>(`SELECT * FROM issued_tokens WHERE ${column} = $1 ORDER BY expires_at, jti COLLATE "C"`, [value]);
    return rows.map(issuedTokenFromRow);
  };
  return {
    // Once per issued access token: a named statement is parsed and planned once per connection.
    async record(token) {
      await pool.query({
        name: 'issued_tokens_record',
        text: `INSERT INTO issued_tokens (jti, grant_id, client_id, account_id, expires_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (jti) DO UPDATE SET grant_id = excluded.grant_id, client_id = excluded.client_id,
           account_id = excluded.account_id, expires_at = excluded.expires_at`,
        values: [token.jti, token.grantId ?? null, token.clientId, token.accountId ?? null, token.expiresAt],
      });
    },
    async find(jti) {
      const { rows } = await pool.query<IssuedTokenRow>('SELECT * FROM issued_tokens WHERE jti = $1', [jti]);
      return rows[0] ? issuedTokenFromRow(rows[0]) : undefined;
    },
    byGrant: (grantId) => by('grant_id', grantId),
    byClient: (clientId) => by('client_id', clientId),
    byAccount: (accountId) => by('account_id', accountId),
  };
}

export function postgresRevocationStore(pool: pg.Pool): RevocationStore {
  return {
    // A repeated revocation widens, never narrows: the later revokedAt (for client/subject
    // revocations, tokens issued up to then) and the later expiresAt win.
    async add(revocation) {
      await pool.query(
        `INSERT INTO revocations (kind, value, revoked_at, expires_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (kind, value) DO UPDATE SET revoked_at = GREATEST(revocations.revoked_at, excluded.revoked_at),
           expires_at = GREATEST(revocations.expires_at, excluded.expires_at)`,
        [revocation.kind, revocation.value, revocation.revokedAt, revocation.expiresAt],
      );
    },
    async active(now) {
      const { rows } = await pool.query<RevocationRow>(
        'SELECT * FROM revocations WHERE expires_at > $1 ORDER BY revoked_at, kind COLLATE "C", value COLLATE "C"', [now],
      );
      return rows.map(revocationFromRow);
    },
  };
}
