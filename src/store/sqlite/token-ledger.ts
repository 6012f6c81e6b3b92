// Issued JWT access tokens (so a grant, client or user can be revoked token by token) and the
// revocation list gateways load.
import type { IssuedTokenRecord, IssuedTokenStore, RevocationStore } from '../identity-store.ts';
import { issuedTokenFromRow, type IssuedTokenRow } from '../rows/issued-token-row.ts';
import { revocationFromRow, type RevocationRow } from '../rows/revocation-row.ts';
import type { SqliteDatabase } from './sqlite-database.ts';
import { createWriteBatch } from './write-batch.ts';

export function sqliteIssuedTokenStore(db: SqliteDatabase): IssuedTokenStore {
  const by = (column: 'grant_id' | 'client_id' | 'account_id', value: string): IssuedTokenRecord[] =>
    db.all<IssuedTokenRow>(`SELECT * FROM issued_tokens WHERE ${column} = ? ORDER BY expires_at, jti`, value).map(issuedTokenFromRow);
  // One record per issued access token: concurrent tokens share a transaction (write-batch.ts).
  const record = createWriteBatch<IssuedTokenRecord>(db, (token) => {
    db.run(
      `INSERT INTO issued_tokens (jti, grant_id, client_id, account_id, expires_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (jti) DO UPDATE SET grant_id = excluded.grant_id, client_id = excluded.client_id,
         account_id = excluded.account_id, expires_at = excluded.expires_at`,
      token.jti, token.grantId, token.clientId, token.accountId, token.expiresAt,
    );
  });
  return {
    record,
    async find(jti) {
      const row = db.get<IssuedTokenRow>('SELECT * FROM issued_tokens WHERE jti = ?', jti);
      return row ? issuedTokenFromRow(row) : undefined;
    },
    byGrant: async (grantId) => by('grant_id', grantId),
    byClient: async (clientId) => by('client_id', clientId),
    byAccount: async (accountId) => by('account_id', accountId),
  };
}

export function sqliteRevocationStore(db: SqliteDatabase): RevocationStore {
  return {
    // A repeated revocation widens, never narrows: the later revokedAt (for client/subject
    // revocations, tokens issued up to then) and the later expiresAt win.
    async add(revocation) {
      db.run(
        `INSERT INTO revocations (kind, value, revoked_at, expires_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (kind, value) DO UPDATE SET revoked_at = max(revoked_at, excluded.revoked_at),
           expires_at = max(expires_at, excluded.expires_at)`,
        revocation.kind, revocation.value, revocation.revokedAt, revocation.expiresAt,
      );
    },
    async active(now) {
      return db
        .all<RevocationRow>(
          'SELECT * FROM revocations WHERE expires_at > ? ORDER BY revoked_at, kind, value', now,
        )
        .map(revocationFromRow);
    },
  };
}
