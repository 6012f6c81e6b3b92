// The signing key set, replaced as a whole by mutate(). `change` may be async (generating a
// key is), and a SQLite write transaction must not stay open across an await: other writes on
// this connection would join it, and another process would wait on a lock held by an idle
// event loop. So mutate is a compare-and-swap: read the set, let `change` compute the next one,
// then in BEGIN IMMEDIATE check the set is still what `change` saw and write; if another
// process changed it meanwhile, run `change` again on the new set. No update is ever lost, and
// `change` always decides from the set it replaces. Within one process, mutates also queue.
import type { SigningKeyRecord, SigningKeyStore } from '../identity-store.ts';
import { textJsonColumn } from '../rows/json-column.ts';
import { signingKeyFromRow, type SigningKeyRow } from '../rows/signing-key-row.ts';
import { StoreError } from '../store-error.ts';
import { insertOrConflict, type SqliteDatabase } from './sqlite-database.ts';

const toSigningKey = (row: SigningKeyRow): SigningKeyRecord => signingKeyFromRow(row, textJsonColumn);

const MAX_ATTEMPTS = 20;

export function sqliteSigningKeyStore(db: SqliteDatabase): SigningKeyStore {
  const readRows = (): SigningKeyRow[] => db.all<SigningKeyRow>('SELECT * FROM signing_keys ORDER BY position');
  const write = (keys: readonly SigningKeyRecord[]): void => {
    db.run('DELETE FROM signing_keys');
    keys.forEach((key, position) => {
      insertOrConflict(
        db, 'signing_key', `signing key "${key.kid}"`,
        `INSERT INTO signing_keys (kid, position, alg, public_jwk, encrypted_private_jwk, state, created_at, activated_at, retired_at, remove_after)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        key.kid, position, key.alg, JSON.stringify(key.publicJwk), key.encryptedPrivateJwk, key.state,
        key.createdAt, key.activatedAt, key.retiredAt, key.removeAfter,
      );
    });
  };

  const compareAndSwap = async (change: Parameters<SigningKeyStore['mutate']>[0]): Promise<SigningKeyRecord[]> => {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
      const seenRows = readRows();
      const seen = JSON.stringify(seenRows);
      const next = await change(seenRows.map(toSigningKey));
      const committed = db.immediate(() => {
        if (JSON.stringify(readRows()) !== seen) return undefined;
        write(next);
        return readRows().map(toSigningKey);
      });
      if (committed) return committed;
    }
    throw new StoreError('ERR_STORE_BUSY', `the signing key set kept changing under ${MAX_ATTEMPTS} attempts to update it`);
  };

  let queue: Promise<unknown> = Promise.resolve();
  return {
    async list() {
      return readRows().map(toSigningKey);
    },
    mutate(change) {
      const result = queue.then(() => compareAndSwap(change));
      queue = result.catch(() => undefined);
      return result;
    },
  };
}
