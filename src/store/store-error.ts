// Failures of the identity store other than a unique-key conflict (StoreConflictError in
// identity-store.ts) carry a stable code, so the CLI and /readyz branch on it, never on text.

export type StoreErrorCode =
  /** The database was migrated by a newer Gatehouse than this one (refuse to guess its layout). */
  | 'ERR_STORE_SCHEMA_TOO_NEW'
  /** A PostgreSQL schema name that is not a plain identifier. */
  | 'ERR_STORE_SCHEMA_NAME'
  /** signingKeys.mutate lost the compare-and-swap race too many times in a row. */
  | 'ERR_STORE_BUSY'
  /** A row in the database that does not have the shape this code wrote. */
  | 'ERR_STORE_CORRUPT';

export class StoreError extends Error {
  readonly code: StoreErrorCode;

  constructor(code: StoreErrorCode, message: string) {
    super(message);
    this.name = 'StoreError';
    this.code = code;
  }
}
