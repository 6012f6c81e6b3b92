// The signing key set, replaced as a whole by mutate(): one transaction holding an advisory
// transaction lock (named per schema), so a second instance's mutate waits, then sees the set
// the first one committed. `change` may be async; the lock is held across it and released by
// COMMIT or ROLLBACK.
import type pg from 'pg';
import type { SigningKeyRecord, SigningKeyStore } from '../identity-store.ts';
import { parsedJsonColumn } from '../rows/json-column.ts';
import { signingKeyFromRow, type SigningKeyRow } from '../rows/signing-key-row.ts';
import { inTransaction, insertOrConflict, lockName, type Queryable } from './postgres-database.ts';

const toSigningKey = (row: SigningKeyRow): SigningKeyRecord => signingKeyFromRow(row, parsedJsonColumn);

async function readKeys(db: Queryable): Promise<SigningKeyRecord[]> {
  return (await db.query<SigningKeyRow>('SELECT * FROM signing_keys ORDER BY position')).rows.map(toSigningKey);
}

export function postgresSigningKeyStore(pool: pg.Pool, schema: string | undefined): SigningKeyStore {
  const lock = lockName('signing-keys', schema);
  return {
    list: () => readKeys(pool),
    mutate(change) {
      return inTransaction(pool, async (client) => {
        await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [lock]);
        const next = await change(await readKeys(client));
        await client.query('DELETE FROM signing_keys');
        for (const [position, key] of next.entries()) {
          await insertOrConflict(
            client, 'signing_key', `signing key "${key.kid}"`,
            `INSERT INTO signing_keys (kid, position, alg, public_jwk, encrypted_private_jwk, state, created_at, activated_at, retired_at, remove_after)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
            [key.kid, position, key.alg, JSON.stringify(key.publicJwk), key.encryptedPrivateJwk, key.state,
              key.createdAt, key.activatedAt ?? null, key.retiredAt ?? null, key.removeAfter ?? null],
          );
        }
        return readKeys(client);
      });
    },
  };
}
