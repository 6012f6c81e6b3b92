// A revocations row → RevocationRecord; no JSON columns, so both dialects read it alike.
import type { RevocationKind, RevocationRecord } from '../identity-store.ts';

export interface RevocationRow {
  kind: RevocationKind;
  value: string;
  revoked_at: number;
  expires_at: number;
}

export function revocationFromRow(row: RevocationRow): RevocationRecord {
  return { kind: row.kind, value: row.value, revokedAt: row.revoked_at, expiresAt: row.expires_at };
}
