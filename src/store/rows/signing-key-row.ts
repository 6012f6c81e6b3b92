// A signing_keys row → SigningKeyRecord, for both dialects; public_jwk is a JSON column.
import type { JsonObject, SigningKeyRecord, SigningKeyState } from '../identity-store.ts';
import type { JsonColumn } from './json-column.ts';

export interface SigningKeyRow {
  kid: string;
  alg: string;
  public_jwk: unknown;
  encrypted_private_jwk: string;
  state: SigningKeyState;
  created_at: number;
  activated_at: number | null;
  retired_at: number | null;
  remove_after: number | null;
}

export function signingKeyFromRow(row: SigningKeyRow, json: JsonColumn): SigningKeyRecord {
  return {
    kid: row.kid,
    alg: row.alg,
    publicJwk: json(row.public_jwk) as JsonObject,
    encryptedPrivateJwk: row.encrypted_private_jwk,
    state: row.state,
    createdAt: row.created_at,
    activatedAt: row.activated_at ?? undefined,
    retiredAt: row.retired_at ?? undefined,
    removeAfter: row.remove_after ?? undefined,
  };
}
