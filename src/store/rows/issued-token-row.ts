// An issued_tokens row → IssuedTokenRecord; no JSON columns, so both dialects read it alike.
import type { IssuedTokenRecord } from '../identity-store.ts';

export interface IssuedTokenRow {
  jti: string;
  grant_id: string | null;
  client_id: string;
  account_id: string | null;
  expires_at: number;
}

export function issuedTokenFromRow(row: IssuedTokenRow): IssuedTokenRecord {
  return { jti: row.jti, grantId: row.grant_id ?? undefined, clientId: row.client_id, accountId: row.account_id ?? undefined, expiresAt: row.expires_at };
}
